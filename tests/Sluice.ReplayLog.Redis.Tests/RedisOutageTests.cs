using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Protocol;
using Sluice.ReplayLog.Tests;
using StackExchange.Redis;

namespace Sluice.ReplayLog.Redis.Tests;

/// <summary>Redis going away under a running stream, and coming back: clear failures, no hang, and work again.</summary>
public sealed class RedisOutageTests(RedisFixture redis)
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(15);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task RedisStoppedMidStream_OperationsFailClearly_ThenWorkAfterRestart()
    {
        await using var server = await redis.StartServerAsync(Ct);
        var options = new RedisReplayLogOptions
        {
            OperationTimeout = TimeSpan.FromSeconds(1),
            ConnectTimeout = TimeSpan.FromSeconds(1),

            // No periodic re-check to hide a lost wake-up: after the restart, the wake-up must come over pub/sub again.
            WaitRecheckInterval = TimeSpan.FromHours(1),
        };

        // Through the public registration: the log makes (and owns) its connection from the string.
        var descriptor = Assert.Single(new ServiceCollection().AddSluiceRedisReplayLog(server.Endpoint, options), d => d.ServiceType == typeof(IReplayLog));
        var log = (IReplayLog)descriptor.ImplementationFactory!(EmptyServiceProvider.Instance);
        await using var disposeLog = (IAsyncDisposable)log;

        await log.WithAsync("before", TestStreams.OpenAnswer(3));
        var waiting = log.WaitForEventAfterAsync("before", 3, Ct).AsTask();
        await Eventually.TrueAsync(async () => (await log.ReadAsync("before", -1, new SequencedEvent[8], Ct)).Head == 3, Prompt, "the events are in Redis");

        await server.StopAsync();

        // The waiting reader is not left hanging: its wake-ups cannot come any more.
        await Assert.ThrowsAsync<ReplayLogUnavailableException>(() => waiting.WaitAsync(Prompt, Ct));

        // A token is only queued; the terminal event waits for Redis, and fails within the operation timeout.
        var clock = Stopwatch.StartNew();
        await log.AppendAsync("before", new SequencedEvent(4, new TokenEvent("lost")), Ct);
        await Assert.ThrowsAsync<ReplayLogUnavailableException>(() => log.AppendAsync("before", new SequencedEvent(5, new DoneEvent(FinishReason.Stop, Usage.Zero)), Ct).AsTask());
        await Task.WhenAll(
            Assert.ThrowsAsync<ReplayLogUnavailableException>(() => log.ReadAsync("before", -1, new SequencedEvent[8], Ct).AsTask()),
            Assert.ThrowsAsync<ReplayLogUnavailableException>(() => log.CreateAsync("during", Ct).AsTask()),
            Assert.ThrowsAsync<ReplayLogUnavailableException>(() => log.WaitForEventAfterAsync("during", -1, Ct).AsTask()));
        Assert.True(clock.Elapsed < Prompt, $"The failures took {clock.Elapsed}.");

        // Back, empty (nothing is saved): the log reconnects by itself.
        await server.StartAsync(Ct);
        await Eventually.ReturnsAsync(
            async () =>
            {
                try
                {
                    await log.CreateAsync("after", Ct);
                    return (true, true);
                }
                catch (ReplayLogUnavailableException)
                {
                    return (false, false);
                }
            },
            TimeSpan.FromSeconds(30),
            "the log works again after Redis restarted");

        await using var probe = await ConnectionMultiplexer.ConnectAsync(server.Endpoint);
        await Eventually.TrueAsync(
            async () => (long)((RedisResult[])(await probe.GetDatabase().ExecuteAsync("PUBSUB", "NUMSUB", "sluice:wake"))!)[1] == 1,
            TimeSpan.FromSeconds(30),
            "the log subscribed again to its wake-ups");
        await TestStreams.AppendAsync(log, "after", 0, TestStreams.OpenAnswer(1));
        var wait = log.WaitForEventAfterAsync("after", 1, Ct).AsTask();
        await log.AppendAsync("after", new SequencedEvent(2, new DoneEvent(FinishReason.Stop, Usage.Zero)), Ct);
        await wait.WaitAsync(Prompt, Ct);
        var reader = new StreamAccumulator();
        await TestStreams.ReadToHeadAsync(log, "after", reader, pageSize: 8);
        Assert.Equal(("t1", true), (reader.Text, reader.IsComplete));

        // The stream that was running is gone with Redis's memory: unknown, as after its retention. Its writer learns
        // it when it next sends its queue (the failed end of the stream), on a retry or on the reconnect.
        Assert.Equal(ReplayReadResult.NotFound, await log.ReadAsync("before", -1, new SequencedEvent[8], Ct));
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    await log.AppendAsync("before", new SequencedEvent(6, new TokenEvent("x")), Ct);
                    return false;
                }
                catch (KeyNotFoundException)
                {
                    return true;
                }
                catch (Exception ex) when (ex is ReplayLogUnavailableException or InvalidOperationException)
                {
                    return false; // still queued: its end (seq 5) was appended but not yet sent
                }
            },
            TimeSpan.FromSeconds(30),
            "the writer of the lost stream found it gone");
    }

    [Fact]
    public async Task WriteTimesOutButLands_ItIsNotWrittenTwice_AndTheQueuedEndIsWrittenOnceRedisAnswers()
    {
        await using var server = await redis.StartServerAsync(Ct);
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(server.Endpoint + ",asyncTimeout=500,syncTimeout=500");
        await using var admin = await ConnectionMultiplexer.ConnectAsync(server.Endpoint + ",allowAdmin=true");
        await using var log = new RedisReplayLog(multiplexer, new RedisReplayLogOptions());
        await log.WithAsync("s", TestStreams.OpenAnswer(1));
        await log.ReadAsync("s", 1, new SequencedEvent[2], Ct);

        // Redis holds every write for 2 s: the batch times out on the client, then runs on the server all the same.
        await admin.GetServer(server.Endpoint).ExecuteAsync("CLIENT", "PAUSE", "2000", "WRITE");
        await log.AppendAsync("s", new SequencedEvent(2, new TokenEvent("t2")), Ct);
        await Assert.ThrowsAsync<ReplayLogUnavailableException>(() => log.AppendAsync("s", new SequencedEvent(3, new DoneEvent(FinishReason.Stop, Usage.Zero)), Ct).AsTask());

        // The writer sends its queue again until Redis takes it; what the timed-out batch wrote is skipped.
        var meta = log.KeysOf("s").Meta;
        await Eventually.TrueAsync(
            async () => (string?)await admin.GetDatabase().HashGetAsync(meta, "status") == "complete",
            TimeSpan.FromSeconds(30),
            "the queued end of the stream was written");
        Assert.Equal(4, await admin.GetDatabase().StreamLengthAsync(log.KeysOf("s").Events));
        var reader = new StreamAccumulator();
        await TestStreams.ReadToHeadAsync(log, "s", reader, pageSize: 8);
        Assert.Equal(("t1t2", 3L, true), (reader.Text, reader.LastSeq, reader.IsComplete));
    }

    [Fact]
    public async Task RedisDownAtStart_TheLogStartsAndFailsClearlyUntilItIsUp()
    {
        await using var server = await redis.StartServerAsync(Ct);
        await server.StopAsync();
        var options = new RedisReplayLogOptions { OperationTimeout = TimeSpan.FromSeconds(1), ConnectTimeout = TimeSpan.FromSeconds(1) };
        await using var log = new RedisReplayLog(RedisConnection.Configure(server.Endpoint, options), options);

        await Assert.ThrowsAsync<ReplayLogUnavailableException>(() => log.CreateAsync("s", Ct).AsTask().WaitAsync(Prompt, Ct));

        await server.StartAsync(Ct);
        await Eventually.TrueAsync(
            async () =>
            {
                try
                {
                    return (await log.ReadAsync("s", -1, new SequencedEvent[2], Ct)) == ReplayReadResult.NotFound;
                }
                catch (ReplayLogUnavailableException)
                {
                    return false;
                }
            },
            TimeSpan.FromSeconds(30),
            "the log connected once Redis was up");
        await log.WithAsync("s", TestStreams.Answer("ok"));
    }

    private sealed class EmptyServiceProvider : IServiceProvider
    {
        public static readonly EmptyServiceProvider Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
