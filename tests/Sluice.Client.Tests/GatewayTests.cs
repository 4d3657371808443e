using Sluice.TestSupport;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Sluice.Protocol;

namespace Sluice.Client.Tests;

/// <summary>The client against a real gateway: cancellation, a restart that loses the stream, and refusals.</summary>
public sealed class GatewayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Cancel_StopsReading_SendsDelete_AndTheRunEndsCancelled()
    {
        // The gateway's clock never moves: the simulated model waits for its first token forever, so only a DELETE
        // ends the run (the detach grace, 30 s on that frozen clock, never would).
        await using var gateway = await Gateway.StartAsync(timeProvider: new FakeTimeProvider(), simulated: new() { FirstTokenDelayMs = 250 });
        var recorder = new RecordingHandler();
        using var http = gateway.CreateHttpClient(recorder);
        var stream = new SluiceClient(http).Open(Messages.Ask("Tell me about rivers."));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var events = new List<SequencedEvent>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var evt in stream.ReadAllAsync(stop.Token))
            {
                events.Add(evt);
                await stop.CancelAsync(); // the user presses stop after the first event
            }
        });

        var start = Assert.IsType<StartEvent>(Assert.Single(events).Event);
        var delete = Assert.Single(recorder.Sent, r => r.Method == HttpMethod.Delete);
        Assert.Equal(HttpStatusCode.Accepted, delete.Status);
        Assert.Equal($"/v1/streams/{start.StreamId}", delete.Path);
        var result = await WaitForResultAsync(http, stream, r => r.GetProperty("status").GetString() != "running");
        Assert.Equal("cancelled", result.GetProperty("finishReason").GetString());
    }

    [Fact]
    public async Task Cancel_WithCancelRunOff_OnlyLeaves_TheRunGoesOn()
    {
        await using var gateway = await Gateway.StartAsync(timeProvider: new FakeTimeProvider(), simulated: new() { FirstTokenDelayMs = 250 });
        var recorder = new RecordingHandler();
        using var http = gateway.CreateHttpClient(recorder);
        var stream = new SluiceClient(http, new SluiceClientOptions { CancelRunOnCancellation = false }).Open(Messages.Ask("Tell me about rivers."));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var evt in stream.ReadAllAsync(stop.Token))
            {
                await stop.CancelAsync();
            }
        });

        Assert.DoesNotContain(recorder.Sent, r => r.Method == HttpMethod.Delete);
        var result = await WaitForResultAsync(http, stream, _ => true);
        Assert.Equal("running", result.GetProperty("status").GetString());
    }

    [Fact]
    public async Task CancelAsync_WhileReading_TheReadEndsWithDoneCancelled()
    {
        await using var gateway = await Gateway.StartAsync(timeProvider: new FakeTimeProvider(), simulated: new() { FirstTokenDelayMs = 250 });
        using var http = gateway.CreateHttpClient();
        var stream = new SluiceClient(http).Open(Messages.Ask("Tell me about rivers."));
        var message = new MessageState();

        await foreach (var evt in stream.ReadAllAsync(Ct))
        {
            message.Apply(evt);
            if (evt.Event is StartEvent)
            {
                Assert.True(await stream.CancelAsync(Ct));
            }
        }

        Assert.Equal(FinishReason.Cancelled, message.FinishReason);
        Assert.Equal(ConnectionState.Done, stream.State);
        Assert.False(await stream.CancelAsync(Ct)); // already finished: 204
    }

    [Fact]
    public async Task GatewayRestart_MidStream_ThrowsStreamLost_NotAHang()
    {
        var clock = new RecordingTimeProvider();
        await using var first = await Gateway.StartAsync(timeProvider: new FakeTimeProvider(), simulated: new() { FirstTokenDelayMs = 250 });
        using var http = first.CreateHttpClient();
        var client = new SluiceClient(http, new SluiceClientOptions { TimeProvider = clock, Jitter = () => 1 });
        var stream = client.Open(Messages.Ask("Tell me about rivers."));
        var reading = Messages.ReadAsync(stream, Ct);
        await Eventually.TrueAsync(() => stream.LastSeq == 0, "the start event arrived", TestContext.Current.CancellationToken);

        // The gateway goes away: the stream ends without its terminal event, and the client waits the retry: (2 s).
        await first.StopAsync();
        Assert.Equal(TimeSpan.FromSeconds(2), await clock.NextTimerAsync());

        // While it is down, the attempt is refused; the next waits twice as long.
        clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromSeconds(4), await clock.NextTimerAsync());

        // A new gateway on the same port, with an empty in-memory log: it has never heard of the stream.
        await using var second = await Gateway.StartAsync(port: first.Address.Port);
        clock.Advance(TimeSpan.FromSeconds(4));

        var lost = await Assert.ThrowsAsync<SluiceStreamLostException>(() => reading);
        Assert.Equal(stream.StreamId, lost.StreamId);
        Assert.Equal(0, lost.LastSeq);
        Assert.Equal(ConnectionState.Failed, stream.State);
        Assert.False(clock.HasPendingTimer);
    }

    [Fact]
    public async Task Start_InvalidRequest_ThrowsRequestExceptionWithTheProblem()
    {
        await using var gateway = await Gateway.StartAsync();
        using var http = gateway.CreateHttpClient();
        var client = new SluiceClient(http);

        var ex = await Assert.ThrowsAsync<SluiceRequestException>(async () =>
        {
            await foreach (var evt in client.StreamAsync(Messages.Ask("Hi") with { Temperature = 5, MaxTokens = 0 }, Ct))
            {
                Assert.Fail("No event was expected.");
            }
        });

        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.False(ex.Retryable);
        var problem = ex.Problem!;
        Assert.Equal(400, problem.Status);
        Assert.Contains("temperature", problem.Errors.Keys);
        Assert.Contains("maxTokens", problem.Errors.Keys);
        Assert.Equal(problem.Detail, ex.Message);
    }

    [Fact]
    public async Task Resume_UnknownStream_ThrowsStreamLost()
    {
        await using var gateway = await Gateway.StartAsync();
        using var http = gateway.CreateHttpClient();
        var client = new SluiceClient(http);

        await Assert.ThrowsAsync<SluiceStreamLostException>(async () =>
        {
            await foreach (var evt in client.ResumeAsync("no-such-stream", "token", lastSeq: 3, Ct))
            {
                Assert.Fail("No event was expected.");
            }
        });
        await Assert.ThrowsAsync<SluiceStreamLostException>(() => client.CancelAsync("no-such-stream", "token", Ct));
    }

    [Fact]
    public async Task Stream_ToolCall_ArgumentsFillInAndMatchTheEnd()
    {
        await using var gateway = await Gateway.StartAsync();
        using var http = gateway.CreateHttpClient();

        var result = await Messages.ReadAsync(new SluiceClient(http).Open(Messages.AskForTool()), Ct);

        var call = Assert.Single(result.Message.ToolCalls);
        Assert.Equal("get_weather", call.Name);
        Assert.True(call.Complete);
        Assert.True(call.State.Valid);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(call.Arguments), call.PartialArguments), call.PartialArguments?.ToJsonString());
        Assert.Equal(FinishReason.ToolCalls, result.Message.FinishReason);
        Assert.True(result.Events.Where(e => e.Event is ToolCallDeltaEvent).Sum(e => e.Seq - e.FirstSeq + 1) > 1); // fragments (perhaps coalesced)
    }

    private static async Task<JsonElement> WaitForResultAsync(HttpClient http, SluiceStream stream, Func<JsonElement, bool> condition)
    {
        JsonElement result = default;
        await Eventually.TrueAsync(async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/streams/{stream.StreamId}/result");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", stream.ResumeToken);
            using var response = await http.SendAsync(request, Ct);
            response.EnsureSuccessStatusCode();
            using var document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(Ct), cancellationToken: Ct);
            result = document.RootElement.Clone();
            return condition(result);
        }, "the gateway's result matched", TestContext.Current.CancellationToken);
        return result;
    }

    /// <summary>Records what the client sends and what comes back.</summary>
    private sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        public System.Collections.Concurrent.ConcurrentQueue<(HttpMethod Method, string Path, HttpStatusCode Status)> Sent { get; } = new();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            Sent.Enqueue((request.Method, request.RequestUri!.AbsolutePath, response.StatusCode));
            return response;
        }
    }
}
