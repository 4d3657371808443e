using Sluice.Protocol;

namespace Sluice.ReplayLog.Tests;

/// <summary>
/// <see cref="IReplayLog.HeldBytes"/> of the in-memory log: the sum over streams of the events each holds (as
/// <see cref="EventSize.Estimate"/> counts them), following appends, evictions and removals.
/// </summary>
public sealed class InMemoryReplayLogHeldBytesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task HeldBytes_FollowsAppendsEvictionsAndRemovals()
    {
        IReplayLog log = new InMemoryReplayLog(new ReplayLogOptions { MaxEventsPerStream = 3 });
        Assert.Equal(0, log.HeldBytes);

        var first = TestStreams.Answer("one", "two");         // 4 events: start is evicted
        var second = TestStreams.OpenAnswer(1);                // 2 events, all held
        await log.WithAsync("first", first);
        await log.WithAsync("second", second);

        Assert.Equal(Bytes(first[1..]) + Bytes(second), log.HeldBytes);

        await log.RemoveAsync("first", Ct);
        Assert.Equal(Bytes(second), log.HeldBytes);

        await log.RemoveAsync("first", Ct); // removing twice changes nothing
        await log.RemoveAsync("second", Ct);
        Assert.Equal(0, log.HeldBytes);
    }

    [Fact]
    public async Task HeldBytes_ConcurrentStreams_AddUpExactly()
    {
        IReplayLog log = new InMemoryReplayLog(new ReplayLogOptions { MaxEventsPerStream = 8, MaxBytesPerStream = 1024 });
        var streams = Enumerable.Range(0, 16).Select(i => ("s" + i, TestStreams.Random(new Random(i), 200, finish: true))).ToList();

        await Task.WhenAll(streams.Select(s => Task.Run(async () => await log.WithAsync(s.Item1, s.Item2), Ct)));

        var expected = 0L;
        var page = new SequencedEvent[64];
        foreach (var (id, _) in streams)
        {
            var read = await log.ReadAsync(id, -1, page, Ct);
            expected += Bytes(page.AsSpan(0, read.Count).ToArray().Where(e => e.Event is not SnapshotEvent).Select(e => e.Event));
        }

        Assert.Equal(expected, log.HeldBytes);
        await Task.WhenAll(streams.Select(s => log.RemoveAsync(s.Item1, Ct).AsTask()));
        Assert.Equal(0, log.HeldBytes);
    }

    [Fact]
    public void HeldBytes_ALogThatDoesNotSay_IsNullByDefault()
    {
        IReplayLog log = new SilentLog();

        Assert.Null(log.HeldBytes);
    }

    private static long Bytes(IEnumerable<StreamEvent> events) => events.Sum(EventSize.Estimate);

    /// <summary>An implementation written before HeldBytes existed: it compiles, and reports no size.</summary>
    private sealed class SilentLog : IReplayLog
    {
        public ValueTask CreateAsync(string streamId, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask AppendAsync(string streamId, SequencedEvent sequencedEvent, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask<ReplayReadResult> ReadAsync(string streamId, long afterSeq, Memory<SequencedEvent> destination, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(ReplayReadResult.NotFound);

        public ValueTask WaitForEventAfterAsync(string streamId, long afterSeq, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask RemoveAsync(string streamId, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }
}
