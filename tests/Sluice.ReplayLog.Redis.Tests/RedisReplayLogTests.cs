using System.Globalization;
using Sluice.Protocol;
using Sluice.ReplayLog.Tests;
using Sluice.TestSupport;
using StackExchange.Redis;

namespace Sluice.ReplayLog.Redis.Tests;

/// <summary>What is particular to the Redis log: its keys, trimming and gaps, TTLs, and several nodes.</summary>
public sealed class RedisReplayLogTests(RedisFixture redis) : IAsyncDisposable
{
    private const string Id = "stream-1";
    private readonly List<RedisReplayLog> _logs = [];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private IDatabase Db => redis.Multiplexer.GetDatabase();

    [Fact]
    public async Task Append_Events_LayoutIsOneStreamAndOneMetaHash()
    {
        var log = Log(new ReplayLogOptions { MaxEventsPerStream = 3 });
        await log.WithAsync(Id, [new StartEvent("s", "m"), new TokenEvent("a"), new TokenEvent("b"), new TokenEvent("c"), new TokenEvent("d")]);
        await log.ReadAsync(Id, 4, new SequencedEvent[2], Ct); // the writer's appends are in Redis once a read on its node returns

        var keys = log.KeysOf(Id);
        Assert.Equal($"{log.Options.KeyPrefix}{{{Id}}}:meta", (string?)keys.Meta);
        Assert.Equal($"{log.Options.KeyPrefix}{{{Id}}}:events", (string?)keys.Events);
        var meta = (await Db.HashGetAllAsync(keys.Meta)).ToDictionary(e => (string)e.Name!, e => (string?)e.Value);
        Assert.Equal("running", meta["status"]);
        Assert.Equal("4", meta["head"]);
        Assert.Equal("2", meta["oldest"]);
        Assert.Equal("1", meta["snapUpTo"]);
        Assert.Contains("\"type\":\"snapshot\"", meta["snap"], StringComparison.Ordinal);
        Assert.Contains("\"upTo\":1", meta["snap"], StringComparison.Ordinal);
        Assert.Equal(3 * EventSize.Estimate(new TokenEvent("a")), long.Parse(meta["bytes"]!, CultureInfo.InvariantCulture));

        var entry = (await Db.StreamRangeAsync(keys.Events, "4", "+")).Single();
        Assert.Equal("4-1", (string?)entry.Id);
        Assert.Equal("4", (string?)entry["seq"]);
        Assert.Equal("{\"type\":\"token\",\"seq\":4,\"content\":\"d\"}", (string?)entry["data"]);
    }

    [Fact]
    public async Task Read_PositionTrimmedAway_RedisSkipsTheGapSilentlyAndTheLogSendsTheSnapshot()
    {
        var log = Log(new ReplayLogOptions { MaxEventsPerStream = 4 });
        await log.WithAsync(Id, TestStreams.OpenAnswer(299));
        var page = new SequencedEvent[8];
        await log.ReadAsync(Id, 298, page, Ct);

        // MAXLEN ~ / MINID ~ trim whole nodes: Redis still has more than the 4 held events, but not seq 3, and XRANGE
        // from 3 starts wherever it still has entries, without a word.
        var physical = await Db.StreamRangeAsync(log.KeysOf(Id).Events, "3", "+", count: 1);
        Assert.True(long.Parse(((string)physical[0].Id!).Split('-')[0], CultureInfo.InvariantCulture) > 3);
        Assert.True(await Db.StreamLengthAsync(log.KeysOf(Id).Events) >= 4);

        foreach (var after in new long[] { 2, 250, 294 })
        {
            var result = await log.ReadAsync(Id, after, page, Ct);

            Assert.Equal(new ReplayReadResult(Found: true, Count: 5, StartsWithSnapshot: true, Head: 299, IsComplete: false), result);
            var snapshot = Assert.IsType<SnapshotEvent>(page[0].Event);
            Assert.Equal((295L, 295L), (page[0].Seq, snapshot.UpTo));
            Assert.Equal(string.Concat(Enumerable.Range(1, 295).Select(i => "t" + i)), snapshot.Text);
            Assert.Equal([296L, 297L, 298L, 299L], page[1..5].Select(e => e.Seq));
        }
    }

    [Fact]
    public async Task Read_EntriesLostUnderTheLog_FailsRatherThanSkipThem()
    {
        var log = Log(ReplayLogOptions.Default);
        await log.WithAsync(Id, TestStreams.OpenAnswer(5));
        await log.ReadAsync(Id, 5, new SequencedEvent[2], Ct);

        // As a maxmemory eviction or a hand-made XTRIM would: the meta hash says the events are held, Redis lost them.
        await Db.ExecuteAsync("XTRIM", log.KeysOf(Id).Events, "MAXLEN", "2");

        // Another node reads Redis (the writing node reads its own events from memory, where nothing was lost).
        var reader = OtherNode(log);
        var lost = await Assert.ThrowsAsync<InvalidOperationException>(() => reader.ReadAsync(Id, 0, new SequencedEvent[8], Ct).AsTask());
        Assert.Contains("lost seqs 1 to 3", lost.Message, StringComparison.Ordinal);
        Assert.Equal(new ReplayReadResult(true, 2, false, 5, false), await reader.ReadAsync(Id, 3, new SequencedEvent[8], Ct));
        Assert.Equal(new ReplayReadResult(true, 5, false, 5, false), await log.ReadAsync(Id, 0, new SequencedEvent[8], Ct));
    }

    [Fact]
    public async Task Keys_TimeToLive_SetOnCreateAndRefreshedByEveryAppend()
    {
        var log = Log(ReplayLogOptions.Default, new RedisReplayLogOptions { KeyTimeToLive = TimeSpan.FromMinutes(7) });
        var keys = log.KeysOf(Id);
        await log.CreateAsync(Id, Ct);
        Assert.InRange((await Db.KeyTimeToLiveAsync(keys.Meta))!.Value, TimeSpan.FromMinutes(6), TimeSpan.FromMinutes(7));

        await TestStreams.AppendAsync(log, Id, 0, TestStreams.OpenAnswer(1));
        await log.ReadAsync(Id, 1, new SequencedEvent[2], Ct);
        await Db.KeyExpireAsync(keys.Meta, TimeSpan.FromSeconds(30));
        await Db.KeyExpireAsync(keys.Events, TimeSpan.FromSeconds(30));

        await log.AppendAsync(Id, new SequencedEvent(2, new TokenEvent("x")), Ct);
        await log.ReadAsync(Id, 2, new SequencedEvent[2], Ct);

        Assert.InRange((await Db.KeyTimeToLiveAsync(keys.Meta))!.Value, TimeSpan.FromMinutes(6), TimeSpan.FromMinutes(7));
        Assert.InRange((await Db.KeyTimeToLiveAsync(keys.Events))!.Value, TimeSpan.FromMinutes(6), TimeSpan.FromMinutes(7));
    }

    [Fact]
    public async Task Remove_DeletesBothKeys()
    {
        var log = Log(ReplayLogOptions.Default);
        await log.WithAsync(Id, TestStreams.Answer("a"));
        var keys = log.KeysOf(Id);
        Assert.Equal(2, await Db.KeyExistsAsync(keys.Both));

        await log.RemoveAsync(Id, Ct);

        Assert.Equal(0, await Db.KeyExistsAsync(keys.Both));
    }

    [Fact]
    public async Task Append_TerminalEvent_IsInRedisWhenTheAppendCompletes()
    {
        var log = Log(ReplayLogOptions.Default);
        await log.WithAsync(Id, TestStreams.Answer("a", "b"));

        // Read straight from Redis, not through the log (whose reads wait for their node's own appends).
        Assert.Equal("complete", (string?)await Db.HashGetAsync(log.KeysOf(Id).Meta, "status"));
        Assert.Equal(4, await Db.StreamLengthAsync(log.KeysOf(Id).Events));
    }

    [Fact]
    public async Task Wait_ReaderOnAnotherNode_IsWokenByTheWritersPublish()
    {
        var writer = Log(ReplayLogOptions.Default);
        var reader = OtherNode(writer);
        await writer.WithAsync(Id, TestStreams.OpenAnswer(1));

        var wait = reader.WaitForEventAfterAsync(Id, 1, Ct).AsTask();
        await ((RedisReplayLog)reader).WaitForEventAfterAsync(Id, 0, Ct); // the first wait's subscription is in place
        Assert.False(wait.IsCompleted);

        await writer.AppendAsync(Id, new SequencedEvent(2, new TokenEvent("x")), Ct);

        await wait.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var page = new SequencedEvent[4];
        Assert.Equal(new ReplayReadResult(true, 1, false, 2, false), await reader.ReadAsync(Id, 1, page, Ct));
        Assert.Equal(new TokenEvent("x"), page[0].Event);
    }

    [Fact]
    public async Task Wait_RacingAppendsOnAnotherNode_NoWakeUpIsLost()
    {
        // Each round: readers on another node start waiting at the head while the writer appends the next event; the
        // recheck interval is long, so only a pub/sub wake-up (or the head read after registering) can end a wait.
        var prefix = RedisFixture.NewPrefix();
        var writer = Log(ReplayLogOptions.Default, new RedisReplayLogOptions { KeyPrefix = prefix, WaitRecheckInterval = TimeSpan.FromHours(1) });
        var reader = Track(new RedisReplayLog(redis.OtherNode, new RedisReplayLogOptions { KeyPrefix = prefix, WaitRecheckInterval = TimeSpan.FromHours(1) }));
        await writer.WithAsync(Id, [new StartEvent("s", "m")]);

        for (var seq = 1; seq <= 300; seq++)
        {
            var after = seq - 1;
            var waits = Enumerable.Range(0, 3).Select(_ => Task.Run(() => reader.WaitForEventAfterAsync(Id, after, Ct).AsTask(), Ct)).ToArray();
            var append = Task.Run(() => writer.AppendAsync(Id, new SequencedEvent(seq, new TokenEvent("t"))).AsTask(), Ct);

            await Task.WhenAll([append, .. waits]).WaitAsync(TimeSpan.FromSeconds(10), Ct);
        }
    }

    [Fact]
    public async Task Wait_WakeUpsRepeatedOrOutOfOrder_ReleaseOnlyReadersTheySatisfy()
    {
        var log = Log(ReplayLogOptions.Default, new RedisReplayLogOptions { WaitRecheckInterval = TimeSpan.FromHours(1) });
        await log.WithAsync(Id, TestStreams.OpenAnswer(4));
        var channel = RedisChannel.Literal(log.WakeChannelName);

        var atHead = log.WaitForEventAfterAsync(Id, 4, Ct).AsTask();
        await Eventually.TrueAsync(async () => await redis.Multiplexer.GetSubscriber().PublishAsync(channel, "nothing") > 0, TimeSpan.FromSeconds(10), "the log subscribed");

        // An old head, the same head again, garbage and another stream's wake-up: none is news to this reader.
        foreach (var message in new[] { "3 r stream-1", "4 r stream-1", "4 r stream-1", "5 r stream-2", "x y z", "7 q stream-1" })
        {
            await redis.Multiplexer.GetSubscriber().PublishAsync(channel, message);
        }

        await Db.PingAsync();
        Assert.False(atHead.IsCompleted);

        await redis.Multiplexer.GetSubscriber().PublishAsync(channel, "5 r stream-1");
        await atHead.WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    [Fact]
    public async Task Wait_KeysExpired_TheRecheckReleasesTheReader()
    {
        // Nothing is published when keys expire (a node died mid-stream): the periodic check finds the stream gone.
        var writer = Log(ReplayLogOptions.Default, new RedisReplayLogOptions { KeyTimeToLive = TimeSpan.FromSeconds(1), WaitRecheckInterval = TimeSpan.FromMilliseconds(100) });
        var reader = OtherNode(writer);
        await writer.WithAsync(Id, TestStreams.OpenAnswer(1));

        await reader.WaitForEventAfterAsync(Id, 1, Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(15), Ct);

        Assert.Equal(ReplayReadResult.NotFound, await reader.ReadAsync(Id, -1, new SequencedEvent[2], Ct));
    }

    [Fact]
    public async Task Append_OnAnotherNode_RebuildsTheWriterFromRedis()
    {
        var first = Log(new ReplayLogOptions { MaxEventsPerStream = 3 });
        var second = OtherNode(first);
        StreamEvent[] events =
        [
            new StartEvent("s", "m"), new ToolCallStartEvent("a", "f", 0), new ToolCallDeltaEvent("a", "{\"x\":"), new TokenEvent("one"),
            new TokenEvent("two"), new ToolCallStartEvent("b", "g", 1),
        ];
        await first.WithAsync(Id, events);
        await first.ReadAsync(Id, 5, new SequencedEvent[2], Ct);

        // The second node knows the open calls from the snapshot ("a") and the held events ("b").
        await Assert.ThrowsAsync<InvalidOperationException>(() => second.AppendAsync(Id, new SequencedEvent(6, new ToolCallDeltaEvent("zzz", "1")), Ct).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => second.AppendAsync(Id, new SequencedEvent(6, new ToolCallStartEvent("a", "f", 2)), Ct).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => second.AppendAsync(Id, new SequencedEvent(8, new TokenEvent("x")), Ct).AsTask());
        StreamEvent[] more = [new ToolCallDeltaEvent("a", "1}"), new ToolCallEndEvent("a", "{\"x\":1}", Valid: true), new ToolCallEndEvent("b", "{}", Valid: true), new TokenEvent("three"), new DoneEvent(FinishReason.ToolCalls, Usage.Zero)];
        await TestStreams.AppendAsync(second, Id, 6, more);

        var reader = new StreamAccumulator();
        Assert.Equal(1, await TestStreams.ReadToHeadAsync(first, Id, reader, pageSize: 4));
        TestStreams.AssertSameContent(TestStreams.Fold([.. events, .. more]), reader);
        await Assert.ThrowsAsync<InvalidOperationException>(() => second.AppendAsync(Id, new SequencedEvent(11, new TokenEvent("late")), Ct).AsTask());
    }

    [Fact]
    public async Task Append_Burst_WritesBatchesNotOneScriptPerEvent()
    {
        await using var server = await redis.StartServerAsync(Ct);
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(server.Endpoint);
        await using var admin = await ConnectionMultiplexer.ConnectAsync(server.Endpoint + ",allowAdmin=true");
        await using var log = new RedisReplayLog(multiplexer, new RedisReplayLogOptions());
        const int Tokens = 2000;
        await log.CreateAsync(Id, Ct);
        var before = await ScriptCallsAsync(admin, server);

        await TestStreams.AppendAsync(log, Id, 0, TestStreams.Answer([.. Enumerable.Repeat("tok", Tokens)]));

        var scripts = await ScriptCallsAsync(admin, server) - before;
        TestContext.Current.TestOutputHelper?.WriteLine($"{Tokens + 2} appends, {scripts} script calls");
        Assert.InRange(scripts, 1, (Tokens + 2) / 10);
        var reader = new StreamAccumulator();
        await TestStreams.ReadToHeadAsync(log, Id, reader, pageSize: 512);
        Assert.Equal(3 * Tokens, reader.Text.Length);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var log in _logs)
        {
            await log.DisposeAsync();
        }
    }

    [Fact]
    public async Task ReadAndWait_OnTheWritingNode_CostNoRoundTripOnceWritten_AnotherNodeReadsTheSame()
    {
        await using var server = await redis.StartServerAsync(Ct);
        await using var multiplexer = await ConnectionMultiplexer.ConnectAsync(server.Endpoint);
        await using var otherNode = await ConnectionMultiplexer.ConnectAsync(server.Endpoint);
        await using var admin = await ConnectionMultiplexer.ConnectAsync(server.Endpoint + ",allowAdmin=true");
        await using var log = new RedisReplayLog(multiplexer, new RedisReplayLogOptions { Log = new ReplayLogOptions { MaxEventsPerStream = 50 } });
        await using var other = new RedisReplayLog(otherNode, new RedisReplayLogOptions { Log = new ReplayLogOptions { MaxEventsPerStream = 50 } });
        await log.WithAsync(Id, TestStreams.OpenAnswer(99));
        await log.ReadAsync(Id, 99, new SequencedEvent[2], Ct); // everything written
        var before = await ScriptCallsAsync(admin, server);

        // A caught-up reader's loop on the writing node: wait, read; 30 times, one event at a time.
        var page = new SequencedEvent[4];
        for (var after = 60L; after < 90; after++)
        {
            await log.WaitForEventAfterAsync(Id, after, Ct);
            var read = await log.ReadAsync(Id, after, page.AsMemory(0, 2), Ct);
            Assert.Equal(new ReplayReadResult(true, 2, false, 99, false), read);
            Assert.Equal([after + 1, after + 2], page[..2].Select(e => e.Seq));
        }

        Assert.Equal(0, await ScriptCallsAsync(admin, server) - before);

        // The same answers from Redis, on a node that does not write the stream; and an evicted position still gets
        // the snapshot on both.
        var local = new SequencedEvent[8];
        var remote = new SequencedEvent[8];
        Assert.Equal(await other.ReadAsync(Id, 70, remote, Ct), await log.ReadAsync(Id, 70, local, Ct));
        Assert.Equal(remote, local);
        Assert.True((await log.ReadAsync(Id, 10, local, Ct)).StartsWithSnapshot);
    }

    /// <summary>EVAL and EVALSHA calls so far (INFO commandstats; the connection needs allowAdmin).</summary>
    internal static async Task<long> ScriptCallsAsync(IConnectionMultiplexer admin, RedisServer server)
    {
        var info = (await admin.GetServer(server.Endpoint).InfoAsync("commandstats")).SelectMany(group => group);
        return info.Where(p => p.Key is "cmdstat_eval" or "cmdstat_evalsha")
            .Sum(p => long.Parse(p.Value.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture));
    }

    private RedisReplayLog Log(ReplayLogOptions bounds, RedisReplayLogOptions? options = null)
    {
        redis.SkipIfUnavailable();
        options ??= new RedisReplayLogOptions();
        return Track(new RedisReplayLog(
            redis.Multiplexer,
            options with { Log = bounds, KeyPrefix = options.KeyPrefix == RedisReplayLogOptions.Default.KeyPrefix ? RedisFixture.NewPrefix() : options.KeyPrefix }));
    }

    private IReplayLog OtherNode(RedisReplayLog log) => Track(new RedisReplayLog(redis.OtherNode, log.Options));

    private RedisReplayLog Track(RedisReplayLog log)
    {
        _logs.Add(log);
        return log;
    }
}
