using Sluice.Protocol;
using Sluice.ReplayLog.Tests;
using StackExchange.Redis;

namespace Sluice.ReplayLog.Redis.Tests;

/// <summary>
/// The run directory across two "nodes" (two connections, each with its log and directory): registration and lookup,
/// notices to the owner, and the end of a run whose owner's lease lapsed. Ticks are driven by the test (the lease is
/// an hour, so the directories' own timers never fire).
/// </summary>
public sealed class RedisRunDirectoryTests(RedisFixture redis) : IAsyncDisposable
{
    private const string Id = "run-1";
    private static readonly RunOwnerRecord Anonymous = new(null, "aGFzaA==");
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly string _prefix = RedisFixture.NewPrefix();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Register_ThenFindOnAnotherNode_GivesOwnerNodeIdentityHeadAndStatus()
    {
        var (ownerLog, owner) = Node(redis.Multiplexer, "a");
        var (_, other) = Node(redis.OtherNode, "b");
        await ownerLog.WithAsync(Id, TestStreams.OpenAnswer(3));
        await owner.RegisterAsync(Id, new RunOwnerRecord("alice", null), _ => { }, Ct);
        await ownerLog.ReadAsync(Id, 3, new SequencedEvent[2], Ct); // the owner's queued appends are in Redis

        var found = await other.FindAsync(Id, Ct);

        Assert.Equal(new RunRecord(Id, "a", new RunOwnerRecord("alice", null), 3, IsComplete: false), found);
        Assert.Null(await other.FindAsync("unknown", Ct));
    }

    [Fact]
    public async Task Register_UnknownStream_Throws()
    {
        var (_, owner) = Node(redis.Multiplexer, "a");

        await Assert.ThrowsAsync<KeyNotFoundException>(() => owner.RegisterAsync("never-created", Anonymous, _ => { }, Ct).AsTask());
    }

    [Fact]
    public async Task Notify_FromAnotherNode_ReachesTheOwnersCallbackInOrder()
    {
        var (ownerLog, owner) = Node(redis.Multiplexer, "a");
        var (_, other) = Node(redis.OtherNode, "b");
        await ownerLog.WithAsync(Id, TestStreams.OpenAnswer(1));
        var received = new List<RunNotice>();
        var allThree = new TaskCompletionSource();
        await owner.RegisterAsync(Id, Anonymous, notice =>
        {
            lock (received)
            {
                received.Add(notice);
                if (received.Count == 3)
                {
                    allThree.TrySetResult();
                }
            }
        }, Ct);
        var record = (await other.FindAsync(Id, Ct))!;

        other.Notify(record, RunNotice.Attach);
        other.Notify(record, RunNotice.Detach);
        other.Notify(record, RunNotice.Cancel);

        await allThree.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        Assert.Equal([RunNotice.Attach, RunNotice.Detach, RunNotice.Cancel], received);
    }

    [Fact]
    public async Task LeaseLapsed_TwoNodesProbe_ExactlyOneProducerLostAtTheNextSeq_AndTheOwnerCannotAppendAfterIt()
    {
        var (ownerLog, owner) = Node(redis.Multiplexer, "a");
        var (otherLog, other) = Node(redis.OtherNode, "b");
        var (_, third) = Node(redis.OtherNode, "c");
        await ownerLog.WithAsync(Id, TestStreams.OpenAnswer(4));
        await owner.RegisterAsync(Id, Anonymous, _ => { }, Ct);
        await ownerLog.ReadAsync(Id, 4, new SequencedEvent[2], Ct);
        var record = (await other.FindAsync(Id, Ct))!;
        other.Notify(record, RunNotice.Attach);
        third.Notify(record, RunNotice.Attach);

        // A live owner's lease holds: nothing happens.
        await Task.WhenAll(other.TickAsync(), third.TickAsync());
        Assert.False((await otherLog.ReadAsync(Id, 4, new SequencedEvent[2], Ct)).IsComplete);

        // The owner "dies": its lease is gone (as when it expires unrenewed).
        owner.Release(Id);
        await redis.Multiplexer.GetDatabase().KeyDeleteAsync($"{_prefix}{{{Id}}}:lease");
        await Task.WhenAll(other.TickAsync(), third.TickAsync(), other.TickAsync());

        var page = new SequencedEvent[8];
        var read = await otherLog.ReadAsync(Id, 4, page, Ct);
        Assert.True(read.IsComplete);
        Assert.Equal(1, read.Count);
        Assert.Equal(5, page[0].Seq);
        var error = Assert.IsType<ErrorEvent>(page[0].Event);
        Assert.Equal("producer_lost", error.Code);
        Assert.True(error.Retryable);
        Assert.Equal(6, await redis.Multiplexer.GetDatabase().StreamLengthAsync(ownerLog.KeysOf(Id).Events));

        // An owner that was only paused finds the stream ended by the others: what it writes after the end is refused
        // (appends return once queued, so the refusal reaches its next append), and the end stays as it is.
        await ownerLog.AppendAsync(Id, new SequencedEvent(5, new TokenEvent("late")), Ct);
        await ownerLog.AppendAsync(Id, new SequencedEvent(6, new TokenEvent("later")), Ct);
        await ownerLog.ReadAsync(Id, 4, page, Ct); // waits until the owner's queued appends were tried
        await Assert.ThrowsAsync<InvalidOperationException>(() => ownerLog.AppendAsync(Id, new SequencedEvent(7, new TokenEvent("last")), Ct).AsTask());
        Assert.Equal(6, await redis.Multiplexer.GetDatabase().StreamLengthAsync(ownerLog.KeysOf(Id).Events));
        Assert.Equal("producer_lost", ((ErrorEvent)(await Read(otherLog, 4))[0].Event).Code);
    }

    [Fact]
    public async Task LeaseLapsed_AfterTheRunFinished_NothingIsAppended()
    {
        var (ownerLog, owner) = Node(redis.Multiplexer, "a");
        var (otherLog, other) = Node(redis.OtherNode, "b");
        await ownerLog.WithAsync(Id, [.. TestStreams.OpenAnswer(2), new DoneEvent(FinishReason.Stop, Usage.Zero)]);
        await owner.RegisterAsync(Id, Anonymous, _ => { }, Ct);
        var record = (await other.FindAsync(Id, Ct))!;
        other.Notify(record, RunNotice.Attach);
        await redis.Multiplexer.GetDatabase().KeyDeleteAsync($"{_prefix}{{{Id}}}:lease");

        await other.TickAsync();

        var events = await Read(otherLog, -1);
        Assert.IsType<DoneEvent>(events[^1].Event);
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            await _owned[i].DisposeAsync();
        }
    }

    private static async Task<SequencedEvent[]> Read(RedisReplayLog log, long after)
    {
        var page = new SequencedEvent[64];
        var read = await log.ReadAsync(Id, after, page, Ct);
        return page[..read.Count];
    }

    private (RedisReplayLog Log, RedisRunDirectory Directory) Node(IConnectionMultiplexer connection, string nodeId)
    {
        var log = new RedisReplayLog(connection, new RedisReplayLogOptions { KeyPrefix = _prefix });
        var directory = new RedisRunDirectory(log, new RedisRunDirectoryOptions { NodeId = nodeId, LeaseTime = TimeSpan.FromHours(1) });
        _owned.Add(log);
        _owned.Add(directory);
        return (log, directory);
    }
}
