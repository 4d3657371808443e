using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sluice.Protocol;

namespace Sluice.AspNetCore.Tests;

/// <summary>
/// Graceful shutdown: when the host stops, every open event stream ends with the shutdown frame (a comment and
/// <c>retry:</c>) and a clean end of the response, never a silent cut; the runs themselves are not cancelled.
/// </summary>
public sealed class ShutdownTests
{
    private const string Goodbye = ": shutting down: reconnect with Last-Event-ID\nretry: 2000\n\n";

    private static readonly StreamEvent[] Script = [new TokenEvent("before"), new TokenEvent(" after"), new DoneEvent(FinishReason.Stop, new Usage(1, 2))];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HostStops_OpenStreamsEndWithTheShutdownFrameAndACleanEnd()
    {
        var source = HeldAfterFirstToken();
        await using var gateway = await TestGateway.StartAsync(source);
        using var started = await gateway.Client.SendStreamingAsync(SseClient.Post());
        var startedBody = await ReadUntilFirstTokenAsync(started);
        using var joined = await gateway.Client.SendStreamingAsync(SseClient.Resume(started));
        var joinedBody = await ReadUntilFirstTokenAsync(joined);

        var stopping = gateway.StopAsync();
        var startedRest = await ReadToCleanEndAsync(startedBody);
        var joinedRest = await ReadToCleanEndAsync(joinedBody);
        await stopping.WaitAsync(Ct);

        Assert.Equal(Goodbye, startedRest);
        Assert.Equal(Goodbye, joinedRest);
    }

    [Fact]
    public async Task Stopping_ResponsesEndWithTheFrame_NewWorkGets503_AndTheRunGoesOn()
    {
        var source = HeldAfterFirstToken();
        await using var gateway = await TestGateway.StartAsync(source);
        using var started = await gateway.Client.SendStreamingAsync(SseClient.Post());
        var body = await ReadUntilFirstTokenAsync(started);
        var run = gateway.Runs.TryGetRun(started);

        // ApplicationStopping alone (the server keeps listening): what a request sees between it and Kestrel's stop.
        gateway.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
        var rest = await ReadToCleanEndAsync(body);
        using var post = await gateway.Client.SendStreamingAsync(SseClient.Post());
        using var resume = await gateway.Client.SendStreamingAsync(SseClient.Resume(started, lastEventId: 1));

        Assert.Equal(Goodbye, rest);
        foreach (var refused in new[] { post, resume })
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("5", refused.Headers.GetValues("Retry-After").Single());
            using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(Ct));
            Assert.Equal("Gateway shutting down", problem.RootElement.GetProperty("title").GetString());
        }

        Assert.Equal(1, gateway.Runs.Count); // the refused POST started nothing
        Assert.False(run.IsFinished);
        source.OpenGate();
        await run.Completion.WaitAsync(Ct); // the run was not cancelled by the shutdown: it finished
        Assert.Equal(3, run.Head);
    }

    [Fact]
    public async Task Stopping_ParsedAsEvents_TheFrameAddsNoEventAndTheBodyEndsWithoutError()
    {
        var source = HeldAfterFirstToken();
        await using var gateway = await TestGateway.StartAsync(source);
        using var started = await gateway.Client.SendStreamingAsync(SseClient.Post());
        await using var stream = await started.Content.ReadAsStreamAsync(Ct);
        var events = new List<SequencedEvent>();
        await foreach (var evt in StreamEventReader.ReadAsync(stream, Ct))
        {
            events.Add(evt);
            if (evt.Event is TokenEvent)
            {
                gateway.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
            }
        }

        // An SSE client sees: start, the first token, then the end of the body without a terminal event, which is
        // its cue to reconnect with Last-Event-ID: 1 (after retry).
        Assert.Equal([0L, 1], events.Select(e => e.Seq));
        Assert.IsType<TokenEvent>(events[^1].Event);
    }

    /// <summary>Every run pauses after its first token until the test opens the gate.</summary>
    private static GatedStreamSource HeldAfterFirstToken()
    {
        var source = new GatedStreamSource(Script);
        source.CloseGate();
        source.GateBefore = 1;
        return source;
    }

    /// <summary>Reads the raw body up to the end of the first token's frame; returns the body to read on.</summary>
    private static async Task<Stream> ReadUntilFirstTokenAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStreamAsync(Ct);
        var seen = new StringBuilder();
        var one = new byte[1];
        while (!seen.ToString().Contains("event: token", StringComparison.Ordinal) || !seen.ToString().EndsWith("\n\n", StringComparison.Ordinal))
        {
            Assert.Equal(1, await body.ReadAsync(one, Ct));
            seen.Append((char)one[0]);
        }

        return body;
    }

    /// <summary>Reads to the end of the body; a cut (no final chunk, a reset) would throw instead.</summary>
    private static async Task<string> ReadToCleanEndAsync(Stream body)
    {
        using var reader = new StreamReader(body, Encoding.UTF8);
        return await reader.ReadToEndAsync(Ct);
    }
}
