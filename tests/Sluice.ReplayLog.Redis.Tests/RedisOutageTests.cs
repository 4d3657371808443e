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

        // The stream that was running is gone with Redis's memory: unknown, as after its retention.
        Assert.Equal(ReplayReadResult.NotFound, await log.ReadAsync("before", -1, new SequencedEvent[8], Ct));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => log.AppendAsync("before", new SequencedEvent(6, new TokenEvent("x")), Ct).AsTask());
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
