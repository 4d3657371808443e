using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Sluice.Protocol;
using Sluice.TestSupport;

namespace Sluice.Gateway.Tests.ScaleOut;

/// <summary>
/// Several gateway nodes sharing one real Redis (<c>Sluice:ReplayLog=redis</c>): resume anywhere behind nginx with
/// round robin, DELETE on a node that does not own the run, a killed owner, Redis going away and coming back.
/// </summary>
public sealed class ScaleOutTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task TwoNodes_BehindRoundRobinNginx_CutAtSeededPoints_ResumesGetExactlyTheText(int seed)
    {
        var ct = TestContext.Current.CancellationToken;
        NginxProxy.Require();
        await using var redis = await ClusterNodes.StartRedisAsync(ct);
        await using var nodeA = GatewayHost.Start(ClusterNodes.Settings(redis, "node-a"));
        await using var nodeB = GatewayHost.Start(ClusterNodes.Settings(redis, "node-b"));
        await using var nginx = await NginxProxy.StartAsync([nodeA.Client.BaseAddress!, nodeB.Client.BaseAddress!], ct);
        using var viaNginx = new HttpClient { BaseAddress = nginx.Address };
        var random = new Random(seed);
        var text = string.Join(' ', Enumerable.Range(0, 120).Select(i => $"w{i}-{random.Next(1000)}")) + "\n\n`done`";
        var servedBy = new HashSet<string>(StringComparer.Ordinal);
        var state = new StreamAccumulator();

        using var started = await StreamCalls.StartEchoAsync(viaNginx, text, ct);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        servedBy.Add(started.Headers.GetValues("X-Upstream-Addr").Single());
        var last = await StreamCalls.ReadAsync(started, state, random.Next(1, 12), ct);
        var resumes = 0;
        while (last?.Event.IsTerminal != true)
        {
            Assert.True(++resumes < 200, "The stream did not end.");
            using var resumed = await StreamCalls.SendAsync(viaNginx, HttpMethod.Get, started, ct, lastSeq: state.LastSeq);
            Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
            servedBy.Add(resumed.Headers.GetValues("X-Upstream-Addr").Single());
            last = await StreamCalls.ReadAsync(resumed, state, random.Next(1, 12), ct) ?? last;
        }

        Assert.Equal(text, state.Text);
        Assert.Equal(FinishReason.Stop, state.FinishReason);
        Assert.Equal(2, servedBy.Count); // Round robin: resumes landed on both nodes, the owner and the other.

        // The accumulated result, from each node in turn (round robin): the same text.
        var resultFrom = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < 2; i++)
        {
            using var result = await StreamCalls.SendAsync(viaNginx, HttpMethod.Get, started, ct, suffix: "/result");
            Assert.Equal(HttpStatusCode.OK, result.StatusCode);
            resultFrom.Add(result.Headers.GetValues("X-Upstream-Addr").Single());
            using var body = JsonDocument.Parse(await result.Content.ReadAsStringAsync(ct));
            Assert.Equal(text, body.RootElement.GetProperty("text").GetString());
            Assert.Equal("done", body.RootElement.GetProperty("status").GetString());
        }

        Assert.Equal(2, resultFrom.Count);
    }

    [Fact]
    public async Task Delete_OnTheNodeThatDoesNotOwnTheRun_CancelsTheUpstreamCallOnTheOwner()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await ClusterNodes.StartRedisAsync(ct);
        await using var fake = await FakeProvider.StartAsync(ct);
        var body = await File.ReadAllBytesAsync(RecordedTranscripts.Path("openai-chat-text.sse"), ct);
        fake.Enqueue(new FakeProviderResponse { Body = body, PauseAfterBytes = body.Length / 2 });
        await using var owner = GatewayHost.Start(WithFakeOpenAI(ClusterNodes.Settings(redis, "owner"), fake));
        await using var other = GatewayHost.Start(WithFakeOpenAI(ClusterNodes.Settings(redis, "other"), fake));

        using var started = await StreamCalls.StartEchoAsync(owner.Client, "anything", ct);
        await fake.Paused.WaitAsync(TimeSpan.FromSeconds(10), ct);

        // Ownership holds across nodes: without the resume token, or with another, the other node knows no such stream.
        using (var noToken = await other.Client.DeleteAsync(started.Headers.Location, ct))
        using (var wrongToken = new HttpRequestMessage(HttpMethod.Delete, started.Headers.Location))
        {
            wrongToken.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "not-the-token");
            using var refused = await other.Client.SendAsync(wrongToken, ct);
            Assert.Equal(HttpStatusCode.NotFound, noToken.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        }

        using var cancelled = await StreamCalls.SendAsync(other.Client, HttpMethod.Delete, started, ct);
        var state = new StreamAccumulator();
        await StreamCalls.ReadAsync(started, state, maxEvents: null, ct);

        Assert.Equal(HttpStatusCode.Accepted, cancelled.StatusCode);
        await fake.CallerGone.WaitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.Equal(FinishReason.Cancelled, state.FinishReason);

        // Over now, seen from either node.
        using var again = await StreamCalls.SendAsync(other.Client, HttpMethod.Delete, started, ct);
        Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
    }

    [Fact]
    public async Task ReaderOnTheOtherNode_KeepsTheOwnersDetachGraceOff()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await ClusterNodes.StartRedisAsync(ct);
        var grace = new Dictionary<string, string?> { ["Sluice:Runs:DetachedGrace"] = "00:00:00.300" };
        await using var owner = GatewayHost.Start(new Dictionary<string, string?>(ClusterNodes.Settings(redis, "owner", tokensPerSecond: 40).Concat(grace)));
        await using var other = GatewayHost.Start(new Dictionary<string, string?>(ClusterNodes.Settings(redis, "other", tokensPerSecond: 40).Concat(grace)));
        var text = string.Join(' ', Enumerable.Range(0, 60).Select(i => $"g{i}")); // well over a second at 40 tokens/s

        // The owner's only local reader leaves; a reader on the other node is all that keeps the run wanted.
        using var started = await StreamCalls.StartEchoAsync(owner.Client, text, ct);
        var state = new StreamAccumulator();
        await StreamCalls.ReadAsync(started, state, maxEvents: 2, ct);
        using var resumed = await StreamCalls.SendAsync(other.Client, HttpMethod.Get, started, ct, lastSeq: state.LastSeq);
        await StreamCalls.ReadAsync(resumed, state, maxEvents: null, ct);

        Assert.Equal(FinishReason.Stop, state.FinishReason); // Not cancelled by the owner's 300 ms grace.
        Assert.Equal(text, state.Text);
    }

    [Fact]
    public async Task OwnerProcessKilled_ReaderOnTheOtherNode_GetsProducerLostWithinTheLease()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await ClusterNodes.StartRedisAsync(ct);
        await using var owner = await GatewayProcess.StartAsync(ClusterNodes.Settings(redis, "doomed", tokensPerSecond: 20), ct);
        await using var survivor = GatewayHost.Start(ClusterNodes.Settings(redis, "survivor", tokensPerSecond: 20));
        var text = string.Join(' ', Enumerable.Range(0, 400).Select(i => $"t{i}"));

        using var started = await StreamCalls.StartEchoAsync(owner.Client, text, ct);
        Assert.Equal(HttpStatusCode.OK, started.StatusCode);
        var state = new StreamAccumulator();
        await StreamCalls.ReadAsync(started, state, maxEvents: 3, ct);
        using var resumed = await StreamCalls.SendAsync(survivor.Client, HttpMethod.Get, started, ct, lastSeq: state.LastSeq);
        Assert.Equal(HttpStatusCode.OK, resumed.StatusCode);
        await using var body = await resumed.Content.ReadAsStreamAsync(ct);
        await using var events = StreamEventReader.ReadAsync(body, ct).GetAsyncEnumerator(ct);
        Assert.True(await events.MoveNextAsync());
        state.Apply(events.Current); // Live from the other node: the owner is generating.

        await owner.KillAsync();
        var killedAt = Stopwatch.StartNew();
        while (await events.MoveNextAsync())
        {
            Assert.True(state.Apply(events.Current));
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"producer_lost {killedAt.ElapsedMilliseconds} ms after the kill (lease {ClusterNodes.LeaseTime.TotalMilliseconds} ms)");
        Assert.True(state.IsComplete, "The reader's stream ended without a terminal event.");
        Assert.Equal("producer_lost", state.Error?.Code);
        Assert.True(state.Error!.Retryable);

        // Lapse (at most one lease after the last renewal) plus one probe interval (a third of it), with slack.
        Assert.InRange(killedAt.Elapsed, TimeSpan.Zero, ClusterNodes.LeaseTime * 2 + TimeSpan.FromSeconds(2));
        Assert.False(state.Text.Length >= text.Length, "The run finished before the kill; nothing was tested.");

        // The end is in the shared log: a later resumer gets the same terminal event at the same seq.
        var again = new StreamAccumulator();
        using var replay = await StreamCalls.SendAsync(survivor.Client, HttpMethod.Get, started, ct);
        await StreamCalls.ReadAsync(replay, again, maxEvents: null, ct);
        Assert.Equal(state.LastSeq, again.LastSeq);
        Assert.Equal("producer_lost", again.Error?.Code);
    }

    [Fact]
    public async Task RedisStoppedMidStream_ClearErrorsWhileDown_RecoversWhenBack()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await ClusterNodes.StartRedisAsync(ct);
        await using var node = GatewayHost.Start(ClusterNodes.Settings(redis, "solo", tokensPerSecond: 20));
        var text = string.Join(' ', Enumerable.Range(0, 400).Select(i => $"t{i}"));

        using (var started = await StreamCalls.StartEchoAsync(node.Client, text, ct))
        {
            Assert.Equal(HttpStatusCode.OK, started.StatusCode);
            await using var body = await started.Content.ReadAsStreamAsync(ct);
            await using var events = StreamEventReader.ReadAsync(body, ct).GetAsyncEnumerator(ct);
            Assert.True(await events.MoveNextAsync());
            Assert.True(await events.MoveNextAsync());
            await redis.StopAsync();

            // The open stream ends (no terminal event: the client is to resume), instead of hanging.
            var timeout = Task.Delay(TimeSpan.FromSeconds(20), ct);
            while (await Task.WhenAny(events.MoveNextAsync().AsTask(), timeout) is Task<bool> { Result: true })
            {
                Assert.False(events.Current.Event.IsTerminal, "A terminal event reached the reader while Redis was down.");
            }

            Assert.False(timeout.IsCompleted, "The open stream did not end while Redis was down.");
        }

        // New streams: 503 with a problem body and Retry-After; health: unhealthy.
        using (var refused = await StreamCalls.StartEchoAsync(node.Client, "hello", ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            using var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync(ct));
            Assert.Equal("Replay log unavailable", problem.RootElement.GetProperty("title").GetString());
        }

        using (var health = await node.Client.GetAsync("/healthz", ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }

        await redis.StartAsync(ct);

        // Back by itself: healthy, and a new stream runs to the end.
        await Eventually.TrueAsync(
            async () =>
            {
                using var health = await node.Client.GetAsync("/healthz", ct);
                return health.StatusCode == HttpStatusCode.OK;
            },
            "the node reports healthy again",
            ct);
        using var fresh = await StreamCalls.StartEchoAsync(node.Client, "back again", ct);
        Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        var after = new StreamAccumulator();
        await StreamCalls.ReadAsync(fresh, after, maxEvents: null, ct);
        Assert.Equal("back again", after.Text);
    }

    [Fact]
    public async Task StartedWhileRedisIsDown_ServesWith503_ThenWorksOnceRedisIsUp()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var redis = await ClusterNodes.StartRedisAsync(ct);
        await redis.StopAsync();
        await using var node = GatewayHost.Start(ClusterNodes.Settings(redis, "early"));

        using (var refused = await StreamCalls.StartEchoAsync(node.Client, "hello", ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
        }

        using (var health = await node.Client.GetAsync("/healthz", ct))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }

        await redis.StartAsync(ct);
        await Eventually.TrueAsync(
            async () =>
            {
                using var health = await node.Client.GetAsync("/healthz", ct);
                return health.StatusCode == HttpStatusCode.OK;
            },
            "the node reports healthy once Redis is up",
            ct);
        using var started = await StreamCalls.StartEchoAsync(node.Client, "now it works", ct);
        var state = new StreamAccumulator();
        await StreamCalls.ReadAsync(started, state, maxEvents: null, ct);
        Assert.Equal("now it works", state.Text);
    }

    private static Dictionary<string, string?> WithFakeOpenAI(Dictionary<string, string?> settings, FakeProvider fake)
    {
        settings["Sluice:Provider"] = "openai";
        settings["Sluice:OpenAI:ApiKey"] = "sk-test-not-a-real-key";
        settings["Sluice:OpenAI:BaseUrl"] = new Uri(fake.BaseAddress, "v1").ToString();
        return settings;
    }
}
