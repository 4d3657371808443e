using System.Net;
using Sluice.Protocol;

namespace Sluice.Client.Tests;

/// <summary>
/// How the client reconnects, against a scripted gateway and a fake clock: the wait before each attempt (the
/// server's <c>retry:</c>, a <c>Retry-After</c>, exponential growth, the reset after progress), what it resends, what
/// it drops, and when it gives up.
/// </summary>
public sealed class ReconnectTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Drop_WaitsTheServersRetry_ThenResumesAfterTheLastSeqWithTheToken()
    {
        var time = new RecordingTimeProvider();
        var handler = new ScriptedHandler()
            .Then(_ => ScriptedHandler.Stream([Events.Start(), Events.Token(1, "Hel")], retry: TimeSpan.FromSeconds(3), breakAfter: true))
            .ThenStream(Events.Token(1, "Hel"), Events.Token(2, "lo"), Events.Done(3)); // the resume replays seq 1
        using var http = ScriptedHandler.Client(handler);
        var client = new SluiceClient(http, new SluiceClientOptions { TimeProvider = time, Jitter = () => 1, ReconnectDelay = TimeSpan.FromSeconds(1) });

        var reading = Messages.ReadAsync(client.Open(Messages.Ask("Hi")), Ct);

        // The gateway said retry: 3000, which replaces the client's own 1 s.
        Assert.Equal(TimeSpan.FromSeconds(3), await time.NextTimerAsync());
        time.Advance(TimeSpan.FromSeconds(3) - TimeSpan.FromMilliseconds(1));
        Assert.Single(handler.Requests);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var result = await reading;

        Assert.Equal("Hello", result.Message.Text);
        Assert.Equal([0L, 1, 2, 3], result.Events.Select(e => e.Seq));
        var resume = handler.Requests.Last();
        Assert.Equal(HttpMethod.Get, resume.Method);
        Assert.Equal("/v1/streams/stream-1", resume.Path);
        Assert.Equal("1", resume.LastEventId);
        Assert.Equal("Bearer token-1", resume.Authorization);
        var reconnecting = Assert.Single(result.States, s => s.State == ConnectionState.Reconnecting);
        Assert.Equal(1, reconnecting.Attempt);
        Assert.Equal(TimeSpan.FromSeconds(3), reconnecting.Delay);
        Assert.IsType<IOException>(reconnecting.Cause);
        Assert.Equal(ConnectionState.Done, result.Message.Connection);
    }

    [Fact]
    public async Task Start_503WithRetryAfter_WaitsThatLong_ThenSendsTheSameRequestAgain()
    {
        var time = new RecordingTimeProvider();
        var handler = new ScriptedHandler()
            .ThenStatus(HttpStatusCode.ServiceUnavailable, retryAfter: TimeSpan.FromSeconds(7))
            .ThenStream(Events.Start(), Events.Token(1, "ok"), Events.Done(2));
        using var http = ScriptedHandler.Client(handler);
        var client = new SluiceClient(http, new SluiceClientOptions { TimeProvider = time, Jitter = () => 1, ReconnectDelay = TimeSpan.FromSeconds(1) });

        var reading = Messages.ReadAsync(client.Open(Messages.Ask("Hi")), Ct);

        Assert.Equal(TimeSpan.FromSeconds(7), await time.NextTimerAsync()); // at least Retry-After, more than the 1 s backoff
        time.Advance(TimeSpan.FromSeconds(7));
        var result = await reading;

        Assert.Equal("ok", result.Message.Text);
        Assert.Equal(2, handler.Requests.Count);
        Assert.All(handler.Requests, r => Assert.Equal(HttpMethod.Post, r.Method));
        Assert.Equal(handler.Requests.First().Body, handler.Requests.Last().Body);
        var cause = Assert.IsType<SluiceRequestException>(Assert.Single(result.States, s => s.State == ConnectionState.Reconnecting).Cause);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, cause.StatusCode);
    }

    [Fact]
    public async Task Resume_429WithRetryAfter_WaitsThatLong()
    {
        var time = new RecordingTimeProvider();
        var handler = new ScriptedHandler()
            .ThenBrokenStream(Events.Start())
            .ThenStatus(HttpStatusCode.TooManyRequests, retryAfter: TimeSpan.FromSeconds(30))
            .ThenStream(Events.Done(1));
        using var http = ScriptedHandler.Client(handler);
        var client = new SluiceClient(http, new SluiceClientOptions { TimeProvider = time, Jitter = () => 0 });

        var reading = Messages.ReadAsync(client.Open(Messages.Ask("Hi")), Ct);

        // Jitter 0 makes the backoff itself zero (no timer); the 429's Retry-After is the wait before the next try.
        Assert.Equal(TimeSpan.FromSeconds(30), await time.NextTimerAsync());
        time.Advance(TimeSpan.FromSeconds(30));
        var result = await reading;

        Assert.True(result.Message.IsComplete);
        Assert.Equal([null, "0", "0"], handler.Requests.Select(r => r.LastEventId));
    }

    [Fact]
    public async Task Backoff_DoublesPerFailedAttempt_AndStartsOverAfterProgress()
    {
        var time = new RecordingTimeProvider();
        var handler = new ScriptedHandler()
            .ThenBrokenStream(Events.Start())
            .ThenStatus(HttpStatusCode.BadGateway)
            .ThenThrow(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (scripted)."))
            .ThenBrokenStream(Events.Token(1, "a")) // progress: the attempts start over
            .ThenStream(Events.Token(2, "b"), Events.Done(3));
        using var http = ScriptedHandler.Client(handler);
        var client = new SluiceClient(http, new SluiceClientOptions { TimeProvider = time, Jitter = () => 0.5, ReconnectDelay = TimeSpan.FromSeconds(2) });

        var reading = Messages.ReadAsync(client.Open(Messages.Ask("Hi")), Ct);
        var delays = new List<TimeSpan>();
        for (var i = 0; i < 4; i++)
        {
            var delay = await time.NextTimerAsync();
            delays.Add(delay);
            time.Advance(delay);
        }

        var result = await reading;

        // Full jitter (here half) of 2 s × 2^(attempt − 1): 1 s, 2 s, 4 s; then, after seq 1 arrived, 1 s again.
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(1)], delays);
        Assert.Equal([1, 2, 3, 1], result.States.Where(s => s.State == ConnectionState.Reconnecting).Select(s => s.Attempt));
        Assert.Equal("ab", result.Message.Text);
    }

    [Fact]
    public async Task Attempts_Exhausted_ThrowsConnectionExceptionWithTheLastCause()
    {
        var lastCause = new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (scripted, last).");
        var handler = new ScriptedHandler()
            .ThenBrokenStream(Events.Start(), Events.Token(1, "x"))
            .ThenThrow(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (scripted)."))
            .ThenThrow(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (scripted)."))
            .ThenThrow(lastCause);
        using var http = ScriptedHandler.Client(handler);
        var client = new SluiceClient(http, new SluiceClientOptions { MaxReconnectAttempts = 3, ReconnectDelay = TimeSpan.Zero });
        var stream = client.Open(Messages.Ask("Hi"));
        var states = new List<ConnectionStateChangedEventArgs>();
        stream.StateChanged += (_, e) => states.Add(e);

        var events = new List<SequencedEvent>();
        var ex = await Assert.ThrowsAsync<SluiceConnectionException>(async () =>
        {
            await foreach (var evt in stream.ReadAllAsync(Ct))
            {
                events.Add(evt);
            }
        });

        Assert.Same(lastCause, ex.InnerException);
        Assert.Equal(3, ex.Attempts);
        Assert.Equal("stream-1", ex.StreamId);
        Assert.Equal(1, ex.LastSeq);
        Assert.Equal(2, events.Count);
        Assert.Equal(4, handler.Requests.Count);
        Assert.Equal(ConnectionState.Failed, stream.State);
        Assert.Same(ex, states[^1].Cause);
        Assert.Equal("connection_failed", ex.ToErrorEvent().Code);
    }

    [Fact]
    public async Task Resume_404_ThrowsStreamLost_NotAShortAnswer()
    {
        var handler = new ScriptedHandler()
            .ThenBrokenStream(Events.Start(), Events.Token(1, "x"))
            .ThenStatus(HttpStatusCode.NotFound);
        using var http = ScriptedHandler.Client(handler);
        var client = new SluiceClient(http, new SluiceClientOptions { ReconnectDelay = TimeSpan.Zero });
        var message = new MessageState();

        var ex = await Assert.ThrowsAsync<SluiceStreamLostException>(async () =>
        {
            await foreach (var evt in client.StreamAsync(Messages.Ask("Hi"), Ct))
            {
                message.Apply(evt);
            }
        });

        Assert.Equal("stream-1", ex.StreamId);
        Assert.Equal(1, ex.LastSeq);
        message.Fail(ex.ToErrorEvent());
        Assert.Equal(ConnectionState.Failed, message.Connection);
        Assert.Equal("stream_lost", message.Error!.Code);
        Assert.Equal("x", message.Text); // what arrived stays
    }

    [Fact]
    public async Task BodyEndsWithoutTerminalEvent_Reconnects()
    {
        var handler = new ScriptedHandler()
            .ThenStream(Events.Start(), Events.Token(1, "a")) // a clean end, but no done: a proxy cut it
            .ThenStream(Events.Token(2, "b"), Events.Done(3));
        using var http = ScriptedHandler.Client(handler);
        var client = new SluiceClient(http, new SluiceClientOptions { ReconnectDelay = TimeSpan.Zero });

        var result = await Messages.ReadAsync(client.Open(Messages.Ask("Hi")), Ct);

        Assert.Equal("ab", result.Message.Text);
        Assert.Equal("1", handler.Requests.Last().LastEventId);
        Assert.Equal(1, result.Reconnects);
    }

    [Fact]
    public async Task Snapshot_IsPassedThrough_AndReplacesTheState()
    {
        var snapshot = new SequencedEvent(5, new SnapshotEvent(5, "Hello world", string.Empty,
            [new ToolCallSnapshot("call_1", "search", 0, """{"q":"sl""", Complete: false)]));
        var handler = new ScriptedHandler()
            .ThenBrokenStream(Events.Start(), Events.Token(1, "Hel"))
            .ThenStream(snapshot, new SequencedEvent(6, new ToolCallDeltaEvent("call_1", "uice\"}")), Events.Done(7));
        using var http = ScriptedHandler.Client(handler);
        var client = new SluiceClient(http, new SluiceClientOptions { ReconnectDelay = TimeSpan.Zero });

        var result = await Messages.ReadAsync(client.Open(Messages.Ask("Hi")), Ct);

        Assert.Equal([0L, 1, 5, 6, 7], result.Events.Select(e => e.Seq));
        Assert.IsType<SnapshotEvent>(result.Events[2].Event);
        Assert.Equal("Hello world", result.Message.Text);
        Assert.Equal(1, result.Message.TextGeneration);
        Assert.Equal("sluice", result.Message.ToolCalls[0].PartialArguments!["q"]!.GetValue<string>());
    }

    [Fact]
    public async Task ErrorEvent_IsTheStreamsNormalEnd_NotAnException()
    {
        var handler = new ScriptedHandler()
            .ThenStream(Events.Start(), Events.Token(1, "Partial"), new SequencedEvent(2, new ErrorEvent("overloaded", "Busy.", Retryable: true)));
        using var http = ScriptedHandler.Client(handler);
        var client = new SluiceClient(http);

        var result = await Messages.ReadAsync(client.Open(Messages.Ask("Hi")), Ct);

        Assert.IsType<ErrorEvent>(result.Events[^1].Event);
        Assert.Equal("overloaded", result.Message.Error!.Code);
        Assert.Equal(ConnectionState.Done, result.Message.Connection);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Start_ConnectionRefused_IsSentAgain()
    {
        var handler = new ScriptedHandler()
            .ThenThrow(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (scripted)."))
            .ThenStream(Events.Start(), Events.Done(1));
        using var http = ScriptedHandler.Client(handler);
        var client = new SluiceClient(http, new SluiceClientOptions { ReconnectDelay = TimeSpan.Zero });

        var result = await Messages.ReadAsync(client.Open(Messages.Ask("Hi")), Ct);

        Assert.True(result.Message.IsComplete);
        Assert.Equal([HttpMethod.Post, HttpMethod.Post], handler.Requests.Select(r => r.Method));
    }

    [Fact]
    public async Task Start_FailingAfterItMayHaveArrived_IsNotSentTwice()
    {
        var handler = new ScriptedHandler()
            .ThenThrow(new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely (scripted)."));
        using var http = ScriptedHandler.Client(handler);
        var client = new SluiceClient(http, new SluiceClientOptions { ReconnectDelay = TimeSpan.Zero });

        var ex = await Assert.ThrowsAsync<SluiceConnectionException>(() => Messages.ReadAsync(client.Open(Messages.Ask("Hi")), Ct));

        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.Null(ex.StreamId);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Opened_IsRaisedWithTheIdAndToken_BeforeTheFirstEvent()
    {
        var handler = new ScriptedHandler().ThenStream(Events.Start(), Events.Done(1));
        using var http = ScriptedHandler.Client(handler);
        var stream = new SluiceClient(http).Open(Messages.Ask("Hi"));
        (string? Id, string? Token, long LastSeq)? opened = null;
        stream.Opened += (_, _) => opened = (stream.StreamId, stream.ResumeToken, stream.LastSeq);

        await foreach (var evt in stream.ReadAllAsync(Ct))
        {
            Assert.NotNull(opened);
        }

        Assert.Equal(("stream-1", "token-1", -1L), opened);
        Assert.True(stream.IsComplete);
        Assert.Throws<InvalidOperationException>(() => stream.ReadAllAsync(Ct)); // read once
    }

    [Fact]
    public async Task Resume_SendsLastSeqAndToken_AndYieldsOnlyLaterEvents()
    {
        var handler = new ScriptedHandler().ThenStream(Events.Token(4, "d"), Events.Done(5));
        using var http = ScriptedHandler.Client(handler);
        var client = new SluiceClient(http, new SluiceClientOptions { StreamsPath = "api/v1/streams/" });

        var events = new List<SequencedEvent>();
        await foreach (var evt in client.ResumeAsync("abc/def", "secret", lastSeq: 3, Ct))
        {
            events.Add(evt);
        }

        Assert.Equal([4L, 5], events.Select(e => e.Seq));
        var request = Assert.Single(handler.Requests);
        Assert.Equal("/api/v1/streams/abc%2Fdef", request.Path);
        Assert.Equal("3", request.LastEventId);
        Assert.Equal("Bearer secret", request.Authorization);
    }
}
