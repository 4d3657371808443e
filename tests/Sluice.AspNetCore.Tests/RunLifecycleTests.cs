using Sluice.TestSupport;
using System.Diagnostics.Metrics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Sluice.Protocol;
using Sluice.ReplayLog;

namespace Sluice.AspNetCore.Tests;

/// <summary>Runs outlive connections: resume, several subscribers, cancel, detach grace, retention, ownership.</summary>
public sealed class RunLifecycleTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Retention = TimeSpan.FromMinutes(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SluiceOptions Options => SluiceOptions.Default with { Runs = new RunOptions { DetachedGrace = Grace, Retention = Retention } };

    [Fact]
    public async Task Resume_AfterCompletion_ReplaysEverythingThenCloses()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source, Options);
        using var finished = await StartFinishedAsync(gateway, source);
        var (started, original) = (finished.Started, finished.Events);

        using var resumed = await gateway.Client.SendStreamingAsync(SseClient.Resume(started));
        var replayed = await resumed.ReadAllEventsAsync();

        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.Equal("text/event-stream", resumed.Content.Headers.ContentType?.MediaType);
        Assert.Equal(original, replayed);
    }

    [Fact]
    public async Task Resume_WithLastEventId_SendsOnlyLaterEvents()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source, Options);
        using var finished = await StartFinishedAsync(gateway, source);
        var (started, original) = (finished.Started, finished.Events);

        using var resumed = await gateway.Client.SendStreamingAsync(SseClient.Resume(started, lastEventId: 2));
        var replayed = await resumed.ReadAllEventsAsync();

        Assert.Equal(original.Skip(3), replayed);
    }

    [Fact]
    public async Task Resume_HeaderAndQuery_HeaderWins()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source, Options);
        using var finished = await StartFinishedAsync(gateway, source);
        var (started, original) = (finished.Started, finished.Events);

        using var resumed = await gateway.Client.SendStreamingAsync(SseClient.Resume(started, lastEventId: 3, query: "?after=1"));

        Assert.Equal(original.Skip(4), await resumed.ReadAllEventsAsync());
    }

    [Fact]
    public async Task Resume_AfterQueryAndTokenQuery_WorksWithoutHeadersLikeEventSource()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source, Options);
        using var finished = await StartFinishedAsync(gateway, source);
        var (started, original) = (finished.Started, finished.Events);
        var token = started.Headers.GetValues(SluiceHeaders.ResumeToken).Single();

        using var resumed = await gateway.Client.SendStreamingAsync(new HttpRequestMessage(HttpMethod.Get, $"{started.Headers.Location}?after=1&token={Uri.EscapeDataString(token)}"));

        Assert.Equal(original.Skip(2), await resumed.ReadAllEventsAsync());
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("1.5")]
    [InlineData("+2")]
    [InlineData("2a")]
    [InlineData("99999999999999999999999")]
    [InlineData("7")] // beyond the head: the stream has seq 0..5
    public async Task Resume_BadPosition_Returns400Problem(string position)
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source, Options);
        using var finished = await StartFinishedAsync(gateway, source);
        var started = finished.Started;

        foreach (var useHeader in new[] { true, false })
        {
            using var request = SseClient.Resume(started, query: useHeader ? null : "?after=" + Uri.EscapeDataString(position));
            if (useHeader)
            {
                request.Headers.TryAddWithoutValidation(SluiceHeaders.LastEventId, position);
            }

            using var response = await gateway.Client.SendAsync(request, Ct);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(useHeader ? "Last-Event-ID" : "after", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Resume_PositionAtTheHead_ClosesAfterNothingNew()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source, Options);
        using var finished = await StartFinishedAsync(gateway, source);
        var (started, original) = (finished.Started, finished.Events);

        using var resumed = await gateway.Client.SendStreamingAsync(SseClient.Resume(started, lastEventId: original[^2].Seq));

        Assert.Equal([original[^1]], await resumed.ReadAllEventsAsync());
    }

    [Fact]
    public async Task Resume_AtTheTerminalEvent_ClosesWithNothingToSend()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source, Options);
        using var finished = await StartFinishedAsync(gateway, source);

        using var resumed = await gateway.Client.SendStreamingAsync(SseClient.Resume(finished.Started, lastEventId: finished.Events[^1].Seq));

        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        Assert.Empty(await resumed.ReadAllEventsAsync());
    }

    [Fact]
    public async Task Resume_UnknownId_Returns404Problem()
    {
        await using var gateway = await TestGateway.StartAsync(new ScriptedStreamSource(), Options);

        using var response = await gateway.Client.GetAsync("/v1/streams/AAAAAAAAAAAAAAAAAAAAAA", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Resume_AfterRetention_Returns404()
    {
        var time = new FakeTimeProvider();
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source, Options, time);
        using var finished = await StartFinishedAsync(gateway, source);
        var started = finished.Started;
        await RunOf(gateway, started).Completion;

        time.Advance(Retention - TimeSpan.FromSeconds(1));
        using (var stillThere = await gateway.Client.SendAsync(SseClient.Resume(started), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, stillThere.StatusCode);
        }

        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually.TrueAsync(() => !gateway.Runs.TryGet(StreamId(started), out _), "the run is forgotten", TestContext.Current.CancellationToken);
        using var gone = await gateway.Client.SendAsync(SseClient.Resume(started), Ct);

        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task TwoSubscribers_Live_EachGetsEveryEvent()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source, Options);
        using var first = await gateway.Client.SendStreamingAsync(SseClient.Post());
        await source.Requested;
        using var second = await gateway.Client.SendStreamingAsync(SseClient.Resume(first));
        var firstEvents = first.ReadAllEventsAsync();
        var secondEvents = second.ReadAllEventsAsync();

        ReleaseAnswer(source);

        Assert.Equal(await firstEvents, await secondEvents);
        Assert.Equal(5, (await firstEvents).Count); // start, three tokens, done
    }

    [Fact]
    public async Task Delete_RunningStream_CancelsUpstreamAndEndsSubscribersWithCancelled()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source, Options);
        using var started = await gateway.Client.SendStreamingAsync(SseClient.Post());
        source.Release(new TokenEvent("partial"));
        var events = started.ReadAllEventsAsync();
        await source.Requested;

        using var deleted = await gateway.Client.SendAsync(SseClient.OnStream(HttpMethod.Delete, started), Ct);

        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        await source.Cancelled.WaitAsync(Ct);
        var done = Assert.IsType<DoneEvent>((await events)[^1].Event);
        Assert.Equal(FinishReason.Cancelled, done.FinishReason);
        Assert.Equal(new TokenEvent("partial"), (await events)[1].Event);
    }

    [Fact]
    public async Task Delete_RunningStream_AbortsTheProvidersHttpRequest()
    {
        await using var provider = await FakeProviderServer.StartAsync();
        await using var gateway = await TestGateway.StartAsync(new HttpLineStreamSource(provider.Address), Options);
        using var started = await gateway.Client.SendStreamingAsync(SseClient.Post());
        await provider.RequestStarted.WaitAsync(Ct);
        provider.Release("first");

        using var deleted = await gateway.Client.SendAsync(SseClient.OnStream(HttpMethod.Delete, started), Ct);

        Assert.Equal(HttpStatusCode.Accepted, deleted.StatusCode);
        await provider.RequestAborted.WaitAsync(Ct);
        Assert.Equal(FinishReason.Cancelled, Assert.IsType<DoneEvent>((await started.ReadAllEventsAsync())[^1].Event).FinishReason);
    }

    [Fact]
    public async Task Delete_Twice_IsIdempotent()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source, Options);
        using var started = await gateway.Client.SendStreamingAsync(SseClient.Post());
        await source.Requested;

        using var first = await gateway.Client.SendAsync(SseClient.OnStream(HttpMethod.Delete, started), Ct);
        await RunOf(gateway, started).Completion;
        using var second = await gateway.Client.SendAsync(SseClient.OnStream(HttpMethod.Delete, started), Ct);

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, second.StatusCode);
    }

    [Fact]
    public async Task Delete_UnknownId_Returns404()
    {
        await using var gateway = await TestGateway.StartAsync(new ScriptedStreamSource(), Options);

        using var response = await gateway.Client.DeleteAsync("/v1/streams/AAAAAAAAAAAAAAAAAAAAAA", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Detach_GraceExpires_CancelsUpstream()
    {
        var time = new FakeTimeProvider();
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source, Options, time);
        var (_, run) = await StartThenDisconnectAsync(gateway, source);
        time.Advance(Grace - TimeSpan.FromSeconds(1));
        Assert.False(source.Cancelled.IsCompleted, "cancelled before the grace period ended");
        time.Advance(TimeSpan.FromSeconds(1));

        await source.Cancelled.WaitAsync(Ct);
        await run.Completion.WaitAsync(Ct);
    }

    [Fact]
    public async Task Detach_ReattachWithinGrace_CancelsNothing()
    {
        var time = new FakeTimeProvider();
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source, Options, time);
        var (started, run) = await StartThenDisconnectAsync(gateway, source);
        time.Advance(Grace / 2);

        using var resumed = await gateway.Client.SendStreamingAsync(SseClient.Resume(started));
        await Eventually.TrueAsync(() => run.Subscribers == 1, "the reader re-attaches", TestContext.Current.CancellationToken);
        time.Advance(Grace * 2);
        ReleaseAnswer(source);

        Assert.False(source.Cancelled.IsCompleted);
        Assert.Equal(FinishReason.Stop, Assert.IsType<DoneEvent>((await resumed.ReadAllEventsAsync())[^1].Event).FinishReason);
    }

    [Fact]
    public async Task Ownership_WrongOrMissingToken_Returns404AndRightTokenReturns200()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source, Options);
        using var finished = await StartFinishedAsync(gateway, source);
        var started = finished.Started;
        var location = started.Headers.Location!.OriginalString;

        using var missing = await gateway.Client.GetAsync(location, Ct);
        using var wrongRequest = new HttpRequestMessage(HttpMethod.Get, location) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "AAAAAAAAAAAAAAAAAAAAAA") } };
        using var wrong = await gateway.Client.SendAsync(wrongRequest, Ct);
        using var wrongQuery = await gateway.Client.GetAsync(location + "?token=nope", Ct);
        using var wrongDelete = await gateway.Client.DeleteAsync(location, Ct);
        using var right = await gateway.Client.SendAsync(SseClient.Resume(started), Ct);

        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongQuery.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, wrongDelete.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task Ownership_AuthenticatedStarter_OnlySamePrincipalMayResume()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source, Options);
        ReleaseAnswer(source);
        using var post = SseClient.Post();
        post.Headers.Add(TestAuthenticationHandler.UserHeader, "alice");
        using var started = await gateway.Client.SendStreamingAsync(post);
        var events = await started.ReadAllEventsAsync();
        var location = started.Headers.Location!.OriginalString;

        using var asBob = new HttpRequestMessage(HttpMethod.Get, location) { Headers = { { TestAuthenticationHandler.UserHeader, "bob" } } };
        using var bob = await gateway.Client.SendAsync(asBob, Ct);
        using var anonymous = await gateway.Client.GetAsync(location, Ct);
        using var asAlice = new HttpRequestMessage(HttpMethod.Get, location) { Headers = { { TestAuthenticationHandler.UserHeader, "alice" } } };
        using var alice = await gateway.Client.SendAsync(asAlice, Ct);

        Assert.False(started.Headers.Contains(SluiceHeaders.ResumeToken), "an authenticated starter needs no token");
        Assert.Null(Assert.IsType<StartEvent>(events[0].Event).ResumeToken);
        Assert.Equal(HttpStatusCode.NotFound, bob.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alice.StatusCode);
    }

    [Fact]
    public async Task Post_Anonymous_ReturnsResumeTokenInHeaderAndStartEvent()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source, Options);
        source.Finish();

        using var started = await gateway.Client.SendStreamingAsync(SseClient.Post());
        var events = await started.ReadAllEventsAsync();

        var token = Assert.Single(started.Headers.GetValues(SluiceHeaders.ResumeToken));
        Assert.Matches("^[A-Za-z0-9_-]{22}$", token);
        Assert.Equal(token, Assert.IsType<StartEvent>(events[0].Event).ResumeToken);
    }

    [Fact]
    public async Task Result_FinishedRun_ReturnsAccumulatedState()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source, Options);
        using var finished = await StartFinishedAsync(gateway, source);
        var started = finished.Started;

        using var response = await gateway.Client.SendAsync(SseClient.OnStream(HttpMethod.Get, started, "/result"), Ct);
        using var result = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("done", result.RootElement.GetProperty("status").GetString());
        Assert.Equal("Hello, wörld", result.RootElement.GetProperty("text").GetString());
        Assert.Equal("stop", result.RootElement.GetProperty("finishReason").GetString());
        Assert.Equal(2, result.RootElement.GetProperty("usage").GetProperty("outputTokens").GetInt64());
    }

    [Fact]
    public async Task Metrics_StartResumeSnapshotAndCancels_AreCounted()
    {
        var time = new FakeTimeProvider();
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source, Options, time, new ReplayLogOptions { MaxEventsPerStream = 2 });
        using var listener = new CounterListener(gateway.Services.GetRequiredService<IMeterFactory>());
        using var deletedRun = await gateway.Client.SendStreamingAsync(SseClient.Post());
        source.Release(new TokenEvent("a"));
        source.Release(new TokenEvent("b"));
        source.Release(new TokenEvent("c"));
        await Eventually.TrueAsync(() => gateway.Runs.TryGetRun(deletedRun).Head == 3, "three tokens are in the log", TestContext.Current.CancellationToken);
        (await gateway.Client.SendAsync(SseClient.OnStream(HttpMethod.Delete, deletedRun), Ct)).Dispose();
        await RunOf(gateway, deletedRun).Completion;
        var (_, run) = await StartThenDisconnectAsync(gateway, source);
        time.Advance(Grace);
        await run.Completion;

        using var resumed = await gateway.Client.SendStreamingAsync(SseClient.Resume(deletedRun));
        var replay = await resumed.ReadAllEventsAsync();
        var live = await deletedRun.ReadAllEventsAsync(); // it may have lagged into a snapshot too

        Assert.IsType<SnapshotEvent>(replay[0].Event); // the log holds 2 events; start was evicted
        Assert.Equal(2, listener.Total("sluice.runs.started"));
        Assert.Equal(1, listener.Total("sluice.runs.resumed"));
        Assert.Equal(replay.Concat(live).Count(e => e.Event is SnapshotEvent), listener.Total("sluice.snapshots.sent"));
        Assert.Equal(1, listener.Total("sluice.runs.cancelled", ("cause", "deleted")));
        Assert.Equal(1, listener.Total("sluice.runs.cancelled", ("cause", "grace_expired")));
    }

    /// <summary>Starts a stream whose provider answers at once, and reads it to the end.</summary>
    private static async Task<FinishedStream> StartFinishedAsync(TestGateway gateway, ScriptedStreamSource source)
    {
        ReleaseAnswer(source);
        var started = await gateway.Client.SendStreamingAsync(SseClient.Post());
        return new FinishedStream(started, await started.ReadAllEventsAsync());
    }

    /// <summary>Starts a stream, then drops its only connection and waits until the server has noticed.</summary>
    private static async Task<(HttpResponseMessage Started, StreamRun Run)> StartThenDisconnectAsync(TestGateway gateway, ScriptedStreamSource source)
    {
        var started = await gateway.Client.SendStreamingAsync(SseClient.Post());
        await source.Requested;
        var run = RunOf(gateway, started);
        started.Dispose();
        await Eventually.TrueAsync(() => run.Subscribers == 0, "the server notices the disconnect", TestContext.Current.CancellationToken);
        return (started, run);
    }

    internal static void ReleaseAnswer(ScriptedStreamSource source)
    {
        source.Release(new TokenEvent("Hello"));
        source.Release(new TokenEvent(", "));
        source.Release(new TokenEvent("wörld"));
        source.Release(new DoneEvent(FinishReason.Stop, new Usage(5, 2)));
        source.Release(new TokenEvent("never sent: after the terminal event"));
    }

    private static string StreamId(HttpResponseMessage started) => started.Headers.GetValues(SluiceHeaders.StreamId).Single();

    private static StreamRun RunOf(TestGateway gateway, HttpResponseMessage started) => gateway.Runs.TryGetRun(started);

    private sealed record FinishedStream(HttpResponseMessage Started, List<SequencedEvent> Events) : IDisposable
    {
        public void Dispose() => Started.Dispose();
    }
}
