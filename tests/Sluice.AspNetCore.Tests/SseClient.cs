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

    /// <summary>A resume request for the stream started by <paramref name="started"/>, proving ownership with its token.</summary>
    public static HttpRequestMessage Resume(HttpResponseMessage started, long? lastEventId = null, string? query = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, started.Headers.Location + query);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", started.Headers.GetValues(SluiceHeaders.ResumeToken).Single());
        if (lastEventId is { } id)
        {
            request.Headers.Add(SluiceHeaders.LastEventId, id.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return request;
    }

    /// <summary>A request of <paramref name="method"/> on the stream's own URL (or a sub-path), with its token.</summary>
    public static HttpRequestMessage OnStream(HttpMethod method, HttpResponseMessage started, string suffix = "")
    {
        var request = new HttpRequestMessage(method, started.Headers.Location + suffix);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", started.Headers.GetValues(SluiceHeaders.ResumeToken).Single());
        return request;
    }

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
