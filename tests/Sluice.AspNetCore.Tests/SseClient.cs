using System.Net.Http.Headers;
using System.Text;
using Sluice.Protocol;

namespace Sluice.AspNetCore.Tests;

/// <summary>Test helpers to start streams and read them the way a client would.</summary>
internal static class SseClient
{
    public const string SimpleBody = """{"messages":[{"role":"user","content":"Hi"}]}""";

    public static HttpRequestMessage Post(string body = SimpleBody, string contentType = "application/json") => new(HttpMethod.Post, "/v1/streams")
    {
        Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue(contentType)),
    };

    public static Task<HttpResponseMessage> SendStreamingAsync(this HttpClient client, HttpRequestMessage request) =>
        client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestContext.Current.CancellationToken);

    public static async Task<List<SequencedEvent>> ReadAllEventsAsync(this HttpResponseMessage response)
    {
        var events = new List<SequencedEvent>();
        await using var body = await response.Content.ReadAsStreamAsync(TestContext.Current.CancellationToken);
        await foreach (var evt in StreamEventReader.ReadAsync(body, TestContext.Current.CancellationToken))
        {
            events.Add(evt);
        }

        return events;
    }
}
