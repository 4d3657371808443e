using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Sluice.Protocol;

namespace Sluice.Gateway.Tests.ScaleOut;

/// <summary>The protocol's requests as a client sends them, against any node or proxy.</summary>
internal static class StreamCalls
{
    /// <summary><c>POST /v1/streams</c> asking the simulated model to answer exactly <paramref name="text"/>.</summary>
    public static Task<HttpResponseMessage> StartEchoAsync(HttpClient client, string text, CancellationToken cancellationToken)
    {
        var body = JsonSerializer.Serialize(new { messages = new[] { new { role = "user", content = "/echo " + text } } });
        return client.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/v1/streams") { Content = new StringContent(body, Encoding.UTF8, "application/json") },
            HttpCompletionOption.ResponseHeadersRead,
            cancellationToken);
    }

    /// <summary><c>GET</c> (resume after <paramref name="lastSeq"/>), <c>DELETE</c> or <c>/result</c> of the stream <paramref name="started"/> began, proving ownership with its resume token.</summary>
    public static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, HttpResponseMessage started, CancellationToken cancellationToken, long? lastSeq = null, string suffix = "")
    {
        var request = new HttpRequestMessage(method, started.Headers.Location + suffix);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", started.Headers.GetValues(SluiceHeaders.ResumeToken).Single());
        if (lastSeq is { } seq)
        {
            request.Headers.Add(SluiceHeaders.LastEventId, seq.ToString(CultureInfo.InvariantCulture));
        }

        return client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    /// <summary>
    /// Applies up to <paramref name="maxEvents"/> events of the response to <paramref name="state"/> (all when null), then
    /// drops the connection. Fails on a duplicate (the accumulator itself throws on a gap).
    /// </summary>
    /// <returns>The last event read, or null when the response ended without any.</returns>
    public static async Task<SequencedEvent?> ReadAsync(HttpResponseMessage response, StreamAccumulator state, int? maxEvents, CancellationToken cancellationToken)
    {
        SequencedEvent? last = null;
        var read = 0;
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var evt in StreamEventReader.ReadAsync(body, cancellationToken))
        {
            Assert.True(state.Apply(evt), $"Event {evt.Seq} ({evt.Event.Type}) was delivered twice.");
            last = evt;
            if (evt.Event.IsTerminal || ++read == maxEvents)
            {
                break;
            }
        }

        return last;
    }
}
