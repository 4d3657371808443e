using System.Diagnostics.Metrics;
using Sluice.Protocol;

namespace Sluice.ReplayLog.Tests;

/// <summary>The bounds of the <see cref="IReplayLog"/> contract: eviction, and the snapshot that stands in for what was evicted.</summary>
public abstract class ReplayLogEvictionContractTests : ReplayLogTestBase
{
    protected const string Id = "stream-1";

    [Fact]
    public async Task Append_PastMaxEvents_EvictsOldest()
    {
        var log = await LogWithAsync(new ReplayLogOptions { MaxEventsPerStream = 4 }, Id, TestStreams.OpenAnswer(9));
        var page = new SequencedEvent[16];

        var result = await log.ReadAsync(Id, -1, page, Ct);

        // Seqs 0-9 appended; the 4 newest (6-9) are held, the rest stand behind one snapshot.
        Assert.Equal(new ReplayReadResult(Found: true, Count: 5, StartsWithSnapshot: true, Head: 9, IsComplete: false), result);
        Assert.Equal([5L, 6L, 7L, 8L, 9L], page[..5].Select(e => e.Seq));
        Assert.Equal(["t6", "t7", "t8", "t9"], page[1..5].Select(e => ((TokenEvent)e.Event).Content));
    }

    [Fact]
    public async Task Append_PastMaxBytes_EvictsOldest()
    {
        // Each 4-character token is estimated at the same size; the budget fits exactly three of them.
        var tokenSize = EventSize.Estimate(new TokenEvent("abcd"));
        var events = new StreamEvent[] { new StartEvent("s", "m") }.Concat(Enumerable.Range(0, 10).Select(_ => new TokenEvent("abcd")));
        var log = await LogWithAsync(new ReplayLogOptions { MaxBytesPerStream = 3 * tokenSize }, Id, events);
        var page = new SequencedEvent[16];

        var result = await log.ReadAsync(Id, -1, page, Ct);

        Assert.Equal(new ReplayReadResult(true, 4, true, 10, false), result);
        Assert.Equal([7L, 8L, 9L, 10L], page[..4].Select(e => e.Seq));
        Assert.Equal(string.Concat(Enumerable.Repeat("abcd", 7)), ((SnapshotEvent)page[0].Event).Text);
    }

    [Fact]
    public async Task Append_EventLargerThanMaxBytes_IsHeldAlone()
    {
        var log = await LogWithAsync(
            new ReplayLogOptions { MaxBytesPerStream = 100 },
            Id,
            [new StartEvent("s", "m"), new TokenEvent("a"), new TokenEvent(new string('x', 1000))]);
        var page = new SequencedEvent[4];

        var result = await log.ReadAsync(Id, 1, page, Ct);

        // The newest event is never evicted, whatever its size.
        Assert.Equal(new ReplayReadResult(true, 1, false, 2, false), result);
        Assert.Equal(1000, ((TokenEvent)page[0].Event).Content.Length);
    }

    [Fact]
    public async Task Append_TerminalAfterByteEvictions_HeldEventsStayInOrder()
    {
        // The byte bound holds about 40 events in a ring grown to 64 slots, so eviction wraps the ring around, and
        // the terminal event then trims the ring to its 40-odd events.
        var tokenSize = EventSize.Estimate(new TokenEvent("abcd"));
        var events = TestStreams.Answer([.. Enumerable.Range(0, 150).Select(i => i.ToString("D4", System.Globalization.CultureInfo.InvariantCulture))]);
        var log = await LogWithAsync(new ReplayLogOptions { MaxBytesPerStream = 40 * tokenSize }, Id, events);

        foreach (var cursor in new long[] { -1, 100, 120, 150 })
        {
            var reader = TestStreams.Fold(events.Take((int)cursor + 1));
            await TestStreams.ReadToHeadAsync(log, Id, reader, pageSize: 7);
            TestStreams.AssertSameContent(TestStreams.Fold(events), reader);
        }
    }

    [Fact]
    public async Task Read_CursorEvicted_ReturnsSnapshotThenFollowingEvents()
    {
        var log = await LogWithAsync(new ReplayLogOptions { MaxEventsPerStream = 4 }, Id, TestStreams.OpenAnswer(9));
        var page = new SequencedEvent[8];

        var result = await log.ReadAsync(Id, 2, page, Ct);

        Assert.Equal(new ReplayReadResult(true, 5, true, 9, false), result);
        var snapshot = Assert.IsType<SnapshotEvent>(page[0].Event);
        Assert.Equal(5, page[0].Seq);
        Assert.Equal(5, snapshot.UpTo);
        Assert.Equal("t1t2t3t4t5", snapshot.Text);
        Assert.Equal(string.Empty, snapshot.Reasoning);
        Assert.Empty(snapshot.ToolCalls);
        Assert.Equal([6L, 7L, 8L, 9L], page[1..5].Select(e => e.Seq));
    }

    [Fact]
    public async Task Read_CursorJustBeforeOldestHeld_ReturnsEventsWithoutSnapshot()
    {
        var log = await LogWithAsync(new ReplayLogOptions { MaxEventsPerStream = 4 }, Id, TestStreams.OpenAnswer(9));
        var page = new SequencedEvent[8];

        var result = await log.ReadAsync(Id, 5, page, Ct);

        Assert.Equal(new ReplayReadResult(true, 4, false, 9, false), result);
        Assert.Equal([6L, 7L, 8L, 9L], page[..4].Select(e => e.Seq));
    }

    [Fact]
    public async Task Read_CursorEvictedSmallestDestination_ReturnsSnapshotAndOneEvent()
    {
        var log = await LogWithAsync(new ReplayLogOptions { MaxEventsPerStream = 4 }, Id, TestStreams.OpenAnswer(9));
        var page = new SequencedEvent[2];

        var result = await log.ReadAsync(Id, -1, page, Ct);

        Assert.Equal(new ReplayReadResult(true, 2, true, 9, false), result);
        Assert.Equal([5L, 6L], page.Select(e => e.Seq));
    }

    [Fact]
    public async Task Read_CursorEvictedTwice_SnapshotsAgreeUntilTheNextEviction()
    {
        var log = await LogWithAsync(new ReplayLogOptions { MaxEventsPerStream = 4 }, Id, TestStreams.OpenAnswer(9));
        var page = new SequencedEvent[8];

        await log.ReadAsync(Id, -1, page, Ct);
        var first = page[0].Event;
        await log.ReadAsync(Id, 0, page, Ct);
        var second = page[0].Event;
        await log.AppendAsync(Id, new SequencedEvent(10, new TokenEvent("t10")), Ct);
        await log.ReadAsync(Id, 0, page, Ct);
        var third = (SnapshotEvent)page[0].Event;

        AssertSameSnapshot(first, second);
        Assert.Equal(6, third.UpTo);
        Assert.Equal("t1t2t3t4t5t6", third.Text);
    }

    [Fact]
    public async Task Read_CompleteStreamCursorEvicted_EveryReaderGetsTheSameFinalSnapshot()
    {
        var events = TestStreams.Answer("a", "b", "c", "d", "e");
        var log = await LogWithAsync(new ReplayLogOptions { MaxEventsPerStream = 2 }, Id, events);
        var page = new SequencedEvent[4];

        var first = await log.ReadAsync(Id, -1, page, Ct);
        var snapshot = page[0].Event;
        var second = await log.ReadAsync(Id, 2, page, Ct);

        Assert.Equal(new ReplayReadResult(true, 3, true, 6, true), first);
        Assert.Equal(first, second);
        AssertSameSnapshot(snapshot, page[0].Event);
        Assert.Equal(("abcd", 4L), (((SnapshotEvent)snapshot).Text, ((SnapshotEvent)snapshot).UpTo));
        Assert.Equal([5L, 6L], page[1..3].Select(e => e.Seq));
    }

    [Fact]
    public async Task Read_CursorEvictedWithToolCallsAndObject_SnapshotCarriesThem()
    {
        var events = new StreamEvent[]
        {
            new StartEvent("s", "m"),
            new ReasoningEvent("why"),
            new ToolCallStartEvent("a", "search", 0),
            new ToolCallDeltaEvent("a", "{\"q\":"),
            new ToolCallStartEvent("b", "fetch", 1),
            new ToolCallDeltaEvent("b", "{\"u\":1}"),
            new ToolCallEndEvent("b", "{\"u\":1}", Valid: true),
            new ObjectEvent("{\"n\":1}"),
            new TokenEvent("held"),
        };
        var log = await LogWithAsync(new ReplayLogOptions { MaxEventsPerStream = 1 }, Id, events);
        var page = new SequencedEvent[4];

        await log.ReadAsync(Id, -1, page, Ct);

        var snapshot = Assert.IsType<SnapshotEvent>(page[0].Event);
        Assert.Equal(7, snapshot.UpTo);
        Assert.Equal("why", snapshot.Reasoning);
        Assert.Equal([new ToolCallSnapshot("a", "search", 0, "{\"q\":", false), new ToolCallSnapshot("b", "fetch", 1, "{\"u\":1}", true, Valid: true)], snapshot.ToolCalls);
        Assert.Equal(new ObjectSnapshot("{\"n\":1}", Complete: false), snapshot.Object);
        Assert.Equal(new SequencedEvent(8, events[8]), page[1]);
    }

    public static TheoryData<int> Seeds() => [.. Enumerable.Range(0, 200)];

    [Theory]
    [MemberData(nameof(Seeds), MemberType = typeof(ReplayLogEvictionContractTests))]
    public async Task Read_CursorEvicted_SnapshotPlusRestEqualsFullText(int seed)
    {
        var rng = new Random(seed);
        var events = TestStreams.Random(rng, length: rng.Next(1, 120), finish: rng.Next(3) > 0);
        var options = new ReplayLogOptions { MaxEventsPerStream = rng.Next(1, 24), MaxBytesPerStream = rng.Next(1, 2500) };
        var log = await LogWithAsync(options, Id, events);

        // The reader has everything through its cursor, as if it had read that far before disconnecting.
        var cursor = rng.Next(-1, events.Count);
        var reader = TestStreams.Fold(events.Take(cursor + 1));
        await TestStreams.ReadToHeadAsync(log, Id, reader, pageSize: rng.Next(2, 6));

        TestStreams.AssertSameContent(TestStreams.Fold(events), reader);
    }

    [Fact]
    public async Task Read_CursorEvicted_PropertyRunsCoverSnapshots()
    {
        // Guards the property test above: its random settings must send most readers through a snapshot.
        var withSnapshot = 0;
        for (var seed = 0; seed < 200; seed++)
        {
            var rng = new Random(seed);
            var events = TestStreams.Random(rng, length: rng.Next(1, 120), finish: rng.Next(3) > 0);
            var options = new ReplayLogOptions { MaxEventsPerStream = rng.Next(1, 24), MaxBytesPerStream = rng.Next(1, 2500) };
            var log = await LogWithAsync(options, Id, events);
            var cursor = rng.Next(-1, events.Count);
            var reader = TestStreams.Fold(events.Take(cursor + 1));
            withSnapshot += await TestStreams.ReadToHeadAsync(log, Id, reader, pageSize: rng.Next(2, 6)) > 0 ? 1 : 0;
        }

        Assert.InRange(withSnapshot, 80, 200);
    }

    [Fact]
    public async Task Append_Eviction_IncrementsEvictionCounter()
    {
        using var factory = new TestMeterFactory();
        using var listener = new MeterListener();
        long evictions = 0;
        listener.InstrumentPublished = (instrument, meterListener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Name == "sluice.log.evictions")
            {
                meterListener.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref evictions, value));
        listener.Start();

        await LogWithAsync(new ReplayLogOptions { MaxEventsPerStream = 3 }, Id, TestStreams.OpenAnswer(9), factory);

        Assert.Equal(7, Interlocked.Read(ref evictions));
        Assert.Equal("Sluice.ReplayLog", Assert.Single(factory.Meters).Name);
    }

    /// <summary>
    /// Two snapshots read at different times describe the same state. An implementation may hand out the very same
    /// object; one over the network parses a new one each time.
    /// </summary>
    protected static void AssertSameSnapshot(StreamEvent expected, StreamEvent actual)
    {
        var first = Assert.IsType<SnapshotEvent>(expected);
        var second = Assert.IsType<SnapshotEvent>(actual);
        Assert.Equal(Wire(first), Wire(second));
    }

    private static string Wire(SnapshotEvent snapshot)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        new StreamEventEncoder().Write(buffer, new SequencedEvent(snapshot.UpTo, snapshot));
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
