using Sluice.TestSupport;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Sluice.Protocol;
using Sluice.ReplayLog;

namespace Sluice.AspNetCore.Tests;

/// <summary>
/// Sluice:Limits on real Kestrel: past a global bound new work gets 503, past the caller's own bound 429, both with
/// Retry-After and a problem body; streams already open are untouched; a slot frees when its run (or reader) ends.
/// </summary>
public sealed class LoadLimitTests
{
    private static readonly StreamEvent[] Script = [new TokenEvent("held"), new TokenEvent(" then released"), new DoneEvent(FinishReason.Stop, new Usage(1, 2))];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Post_PastMaxConcurrentRuns_Returns503_OpenStreamsFinish_AndASlotFreesWhenARunEnds()
    {
        var source = HeldAfterFirstToken();
        await using var gateway = await TestGateway.StartAsync(source, WithLimits(new LimitOptions { MaxConcurrentRuns = 2, RetryAfter = TimeSpan.FromSeconds(7) }));
        using var listener = new CounterListener(gateway.Services.GetRequiredService<IMeterFactory>());
        using var first = await StartHeldAsync(gateway);
        using var second = await StartHeldAsync(gateway);

        using var refused = await gateway.Client.SendStreamingAsync(SseClient.Post());
        await AssertRefusedAsync(refused, HttpStatusCode.ServiceUnavailable, "7", "MaxConcurrentRuns");
        Assert.Equal(2, gateway.Runs.Count); // nothing was started for the refused request

        // A resume is not a new run: it is served while the runs are at their bound.
        using var joined = await gateway.Client.SendStreamingAsync(SseClient.Resume(first.Response));
        Assert.Equal(HttpStatusCode.OK, joined.StatusCode);

        source.OpenGate();
        AssertFinished(await first.ReadRestAsync());
        AssertFinished(await second.ReadRestAsync());
        AssertFinished(await joined.ReadAllEventsAsync());
        await gateway.Runs.TryGetRun(first.Response).Completion.WaitAsync(Ct);
        await gateway.Runs.TryGetRun(second.Response).Completion.WaitAsync(Ct);
        await Eventually.TrueAsync(() => Limiter(gateway).Runs == 0, "the finished runs give back their slots", TestContext.Current.CancellationToken);

        using var admitted = await gateway.Client.SendStreamingAsync(SseClient.Post());
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        AssertFinished(await admitted.ReadAllEventsAsync());
        Assert.Equal(1, listener.Total("sluice.requests.refused", ("reason", "max_concurrent_runs")));
        Assert.Equal(1, listener.Total("sluice.requests.refused"));
    }

    [Fact]
    public async Task Post_PastMaxRunsPerPrincipal_Returns429ForThatCallerOnly()
    {
        var source = HeldAfterFirstToken();
        await using var gateway = await TestGateway.StartAsync(source, WithLimits(new LimitOptions { MaxRunsPerPrincipal = 1 }));
        using var listener = new CounterListener(gateway.Services.GetRequiredService<IMeterFactory>());
        using var alice = await StartHeldAsync(gateway, "alice");
        using var anonymous = await StartHeldAsync(gateway);

        using var aliceAgain = await gateway.Client.SendStreamingAsync(As(SseClient.Post(), "alice"));
        using var anonymousAgain = await gateway.Client.SendStreamingAsync(SseClient.Post()); // the same client IP
        using var bob = await StartHeldAsync(gateway, "bob");

        await AssertRefusedAsync(aliceAgain, HttpStatusCode.TooManyRequests, "5", "MaxRunsPerPrincipal");
        await AssertRefusedAsync(anonymousAgain, HttpStatusCode.TooManyRequests, "5", "MaxRunsPerPrincipal");
        Assert.Equal(2, listener.Total("sluice.requests.refused", ("reason", "max_runs_per_principal")));

        source.OpenGate();
        AssertFinished(await alice.ReadRestAsync());
        AssertFinished(await anonymous.ReadRestAsync());
        AssertFinished(await bob.ReadRestAsync());
        await gateway.Runs.TryGetRun(alice.Response).Completion.WaitAsync(Ct);
        await Eventually.TrueAsync(() => Limiter(gateway).Runs == 0, "the finished runs give back their slots", TestContext.Current.CancellationToken);

        using var aliceLater = await gateway.Client.SendStreamingAsync(As(SseClient.Post(), "alice"));
        Assert.Equal(HttpStatusCode.OK, aliceLater.StatusCode);
        AssertFinished(await aliceLater.ReadAllEventsAsync());
    }

    [Fact]
    public async Task PastMaxSubscribers_PostAndResumeGet503_AndASlotFreesWhenAReaderLeaves()
    {
        var source = HeldAfterFirstToken();
        await using var gateway = await TestGateway.StartAsync(source, WithLimits(new LimitOptions { MaxSubscribers = 2 }));
        using var listener = new CounterListener(gateway.Services.GetRequiredService<IMeterFactory>());
        using var started = await StartHeldAsync(gateway);
        var second = await gateway.Client.SendStreamingAsync(SseClient.Resume(started.Response));
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);

        using var refusedResume = await gateway.Client.SendStreamingAsync(SseClient.Resume(started.Response));
        using var refusedPost = await gateway.Client.SendStreamingAsync(SseClient.Post());

        await AssertRefusedAsync(refusedResume, HttpStatusCode.ServiceUnavailable, "5", "MaxSubscribers");
        await AssertRefusedAsync(refusedPost, HttpStatusCode.ServiceUnavailable, "5", "MaxSubscribers");
        Assert.Equal(1, gateway.Runs.Count); // the refused POST started nothing
        Assert.Equal(2, listener.Total("sluice.requests.refused", ("reason", "max_subscribers")));

        second.Dispose();
        await Eventually.TrueAsync(() => Limiter(gateway).Subscribers == 1, "the server notices the reader left", TestContext.Current.CancellationToken);
        using var resumed = await gateway.Client.SendStreamingAsync(SseClient.Resume(started.Response, lastEventId: 1));
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);

        source.OpenGate();
        AssertFinished(await started.ReadRestAsync());
        var rest = await resumed.ReadAllEventsAsync();
        Assert.Equal([2L, 3], rest.Select(e => e.Seq));
    }

    [Fact]
    public async Task Post_PastMaxLogBytes_Returns503UntilRetentionFreesTheLog()
    {
        var time = new FakeTimeProvider();
        var source = new GatedStreamSource(Script);
        var retention = TimeSpan.FromMinutes(1);
        var options = WithLimits(new LimitOptions { MaxLogBytes = 1 }) with { Runs = new RunOptions { Retention = retention } };
        await using var gateway = await TestGateway.StartAsync(source, options, time);
        var log = gateway.Services.GetRequiredService<IReplayLog>();
        using var listener = new CounterListener(gateway.Services.GetRequiredService<IMeterFactory>());

        using (var finished = await gateway.Client.SendStreamingAsync(SseClient.Post()))
        {
            AssertFinished(await finished.ReadAllEventsAsync());
        }

        Assert.True(log.HeldBytes > 1, "the finished run's events are held until its retention ends");
        using var refused = await gateway.Client.SendStreamingAsync(SseClient.Post());
        await AssertRefusedAsync(refused, HttpStatusCode.ServiceUnavailable, "5", "MaxLogBytes");

        await Eventually.TrueAsync(() => Limiter(gateway).Runs == 0, "the run has given back its slot", TestContext.Current.CancellationToken);
        time.Advance(retention);
        await Eventually.TrueAsync(() => log.HeldBytes == 0, "retention ends and the log is removed", TestContext.Current.CancellationToken);

        using var admitted = await gateway.Client.SendStreamingAsync(SseClient.Post());
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
        AssertFinished(await admitted.ReadAllEventsAsync());
        Assert.Equal(1, listener.Total("sluice.requests.refused", ("reason", "max_log_bytes")));
    }

    [Fact]
    public async Task Unlimited_NullBounds_AdmitEverything()
    {
        var source = HeldAfterFirstToken();
        var limits = new LimitOptions { MaxConcurrentRuns = null, MaxSubscribers = null, MaxLogBytes = null, MaxRunsPerPrincipal = null };
        await using var gateway = await TestGateway.StartAsync(source, WithLimits(limits));
        var held = new List<HeldStream>();
        for (var i = 0; i < 20; i++)
        {
            held.Add(await StartHeldAsync(gateway)); // more than the default 16 per caller
        }

        Assert.Equal(20, Limiter(gateway).Runs);
        Assert.Equal(20, Limiter(gateway).Subscribers);
        source.OpenGate();
        foreach (var stream in held)
        {
            AssertFinished(await stream.ReadRestAsync());
            stream.Dispose();
        }
    }

    [Fact]
    public void Limits_Defaults_AreDocumentedValues()
    {
        var limits = SluiceOptions.Default.Limits;

        Assert.Equal(10_000, limits.MaxConcurrentRuns);
        Assert.Equal(20_000, limits.MaxSubscribers);
        Assert.Equal(1024L * 1024 * 1024, limits.MaxLogBytes);
        Assert.Equal(16, limits.MaxRunsPerPrincipal);
        Assert.Equal(TimeSpan.FromSeconds(5), limits.RetryAfter);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LimitOptions { MaxConcurrentRuns = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new LimitOptions { MaxLogBytes = -1 });
    }

    private static SluiceOptions WithLimits(LimitOptions limits) => SluiceOptions.Default with { Limits = limits };

    private static LoadLimiter Limiter(TestGateway gateway) => gateway.Services.GetRequiredService<LoadLimiter>();

    /// <summary>Every run pauses after its first token until the test opens the gate (one gate for all runs).</summary>
    private static GatedStreamSource HeldAfterFirstToken()
    {
        var source = new GatedStreamSource(Script);
        source.CloseGate();
        source.GateBefore = 1;
        return source;
    }

    private static HttpRequestMessage As(HttpRequestMessage request, string? user)
    {
        if (user is not null)
        {
            request.Headers.Add(TestAuthenticationHandler.UserHeader, user);
        }

        return request;
    }

    /// <summary>Starts a run and reads until its first token: the run is then generating, held at the gate.</summary>
    private static async Task<HeldStream> StartHeldAsync(TestGateway gateway, string? user = null)
    {
        var response = await gateway.Client.SendStreamingAsync(As(SseClient.Post(), user));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStreamAsync(Ct);
        var events = StreamEventReader.ReadAsync(body, Ct).GetAsyncEnumerator(Ct);
        var read = new List<SequencedEvent>();
        while (read.Count < 2 && await events.MoveNextAsync())
        {
            read.Add(events.Current);
        }

        Assert.IsType<TokenEvent>(read[^1].Event);
        return new HeldStream(response, events, read);
    }

    private static async Task AssertRefusedAsync(HttpResponseMessage response, HttpStatusCode status, string retryAfter, string bound)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(retryAfter, response.Headers.GetValues("Retry-After").Single());
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("title").GetString()));
        Assert.Contains(bound, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal($"https://www.rfc-editor.org/rfc/rfc9110#status.{(int)status}", problem.RootElement.GetProperty("type").GetString());
    }

    private static void AssertFinished(List<SequencedEvent> events)
    {
        Assert.Equal(Enumerable.Range(0, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.Equal(new DoneEvent(FinishReason.Stop, new Usage(1, 2)), events[^1].Event);
        Assert.Equal("held then released", string.Concat(events.Select(e => e.Event).OfType<TokenEvent>().Select(t => t.Content)));
    }

    /// <summary>A stream read up to its first token, whose reader goes on later.</summary>
    private sealed class HeldStream(HttpResponseMessage response, IAsyncEnumerator<SequencedEvent> events, List<SequencedEvent> read) : IDisposable
    {
        public HttpResponseMessage Response => response;

        public async Task<List<SequencedEvent>> ReadRestAsync()
        {
            while (await events.MoveNextAsync())
            {
                read.Add(events.Current);
            }

            return read;
        }

        public void Dispose() => response.Dispose();
    }
}
