using Sluice.Protocol;

namespace Sluice.ReplayLog.Tests;

/// <summary>The <see cref="IReplayLog"/> contract: appends, reads, waits and removal, for every implementation.</summary>
public abstract class ReplayLogContractTests : ReplayLogTestBase
{
    protected const string Id = "stream-1";

    [Fact]
    public async Task Create_Existing_ThrowsInvalidOperation()
    {
        var log = await CreateLogAsync();
        await log.CreateAsync(Id, Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() => log.CreateAsync(Id, Ct).AsTask());
    }

    [Fact]
    public async Task Append_OutOfOrderSeq_Throws()
    {
        var log = await LogWithAsync(ReplayLogOptions.Default, Id, TestStreams.OpenAnswer(2));

        var skipped = await Assert.ThrowsAsync<InvalidOperationException>(() => log.AppendAsync(Id, new SequencedEvent(4, new TokenEvent("x")), Ct).AsTask());
        await Assert.ThrowsAsync<InvalidOperationException>(() => log.AppendAsync(Id, new SequencedEvent(2, new TokenEvent("x")), Ct).AsTask());

        Assert.Contains("expects seq 3 but got 4", skipped.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await ReadAllAsync(log)).Head);
    }

    [Fact]
    public async Task Append_FirstEventNotSeqZero_Throws()
    {
        var log = await CreateLogAsync();
        await log.CreateAsync(Id, Ct);

        await Assert.ThrowsAsync<InvalidOperationException>(() => log.AppendAsync(Id, new SequencedEvent(1, new StartEvent("s", "m")), Ct).AsTask());
    }

    [Fact]
    public async Task Append_AfterTerminal_Throws()
    {
        var log = await LogWithAsync(ReplayLogOptions.Default, Id, TestStreams.Answer("a"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => log.AppendAsync(Id, new SequencedEvent(3, new TokenEvent("late")), Ct).AsTask());
    }

    [Fact]
    public async Task Append_UnknownStream_ThrowsKeyNotFound()
    {
        var log = await CreateLogAsync();

        await Assert.ThrowsAsync<KeyNotFoundException>(() => log.AppendAsync("nope", new SequencedEvent(0, new StartEvent("s", "m")), Ct).AsTask());
    }

    [Fact]
    public async Task Append_Snapshot_ThrowsArgument()
    {
        var log = await LogWithAsync(ReplayLogOptions.Default, Id, TestStreams.OpenAnswer(1));

        var ex = Assert.Throws<ArgumentException>(() => log.AppendAsync(Id, new SequencedEvent(2, new SnapshotEvent(2, "", "", [])), Ct));

        Assert.Equal("sequencedEvent", ex.ParamName);
    }

    [Fact]
    public async Task Append_DefaultSequencedEvent_ThrowsArgumentNull()
    {
        var log = await LogWithAsync(ReplayLogOptions.Default, Id, TestStreams.OpenAnswer(1));

        Assert.Throws<ArgumentNullException>(() => log.AppendAsync(Id, default, Ct));
    }

    [Theory]
    [InlineData("delta-unknown")]
    [InlineData("end-unknown")]
    [InlineData("start-twice")]
    [InlineData("delta-after-end")]
    public async Task Append_InconsistentToolCall_ThrowsAndLaterEvictionStillWorks(string scenario)
    {
        // MaxEvents 2: every later append evicts, so the accepted events are all folded into the snapshot.
        var log = await LogWithAsync(
            new ReplayLogOptions { MaxEventsPerStream = 2 },
            Id,
            [new StartEvent("s", "m"), new ToolCallStartEvent("a", "f", 0), new ToolCallEndEvent("a", "{}", Valid: true)]);
        StreamEvent bad = scenario switch
        {
            "delta-unknown" => new ToolCallDeltaEvent("zzz", "x"),
            "end-unknown" => new ToolCallEndEvent("zzz", "{}", Valid: true),
            "start-twice" => new ToolCallStartEvent("a", "f", 1),
            _ => new ToolCallDeltaEvent("a", "x"),
        };

        await Assert.ThrowsAsync<InvalidOperationException>(() => log.AppendAsync(Id, new SequencedEvent(3, bad), Ct).AsTask());
        await TestStreams.AppendAsync(log, Id, 3, [new TokenEvent("x"), new TokenEvent("y"), new DoneEvent(FinishReason.Stop, Usage.Zero)]);

        var reader = new StreamAccumulator();
        await TestStreams.ReadToHeadAsync(log, Id, reader, pageSize: 4);
        Assert.Equal("xy", reader.Text);
        Assert.Equal("{}", Assert.Single(reader.ToolCalls).Arguments);
    }

    [Fact]
    public async Task Append_Cancelled_ReturnsCancelledTaskAndAppendsNothing()
    {
        var log = await LogWithAsync(ReplayLogOptions.Default, Id, TestStreams.OpenAnswer(1));

        var append = log.AppendAsync(Id, new SequencedEvent(2, new TokenEvent("x")), new CancellationToken(canceled: true));

        Assert.True(append.IsCanceled);
        Assert.Equal(1, (await ReadAllAsync(log)).Head);
    }

    [Fact]
    public async Task Read_FromStart_ReturnsAllInOrder()
    {
        var events = TestStreams.Answer("Hel", "lo", "!");
        var log = await LogWithAsync(ReplayLogOptions.Default, Id, events);
        var page = new SequencedEvent[16];

        var result = await log.ReadAsync(Id, -1, page, Ct);

        Assert.Equal(new ReplayReadResult(Found: true, Count: 5, StartsWithSnapshot: false, Head: 4, IsComplete: true), result);
        Assert.Equal(events.Select((e, i) => new SequencedEvent(i, e)), page[..5]);
    }

    [Fact]
    public async Task Read_FromMiddle_ReturnsOnlyLaterEvents()
    {
        var log = await LogWithAsync(ReplayLogOptions.Default, Id, TestStreams.OpenAnswer(5));
        var page = new SequencedEvent[16];

        var result = await log.ReadAsync(Id, 3, page, Ct);

        Assert.Equal(new ReplayReadResult(true, 2, false, 5, false), result);
        Assert.Equal([4L, 5L], page[..2].Select(e => e.Seq));
    }

    [Fact]
    public async Task Read_DestinationSmallerThanBacklog_ReturnsPagesWithoutGapOrDuplicate()
    {
        var log = await LogWithAsync(ReplayLogOptions.Default, Id, TestStreams.OpenAnswer(99));
        var page = new SequencedEvent[7];
        var seen = new List<long>();
        var cursor = -1L;

        while (true)
        {
            var result = await log.ReadAsync(Id, cursor, page, Ct);
            if (result.Count == 0)
            {
                break;
            }

            Assert.InRange(result.Count, 1, page.Length);
            seen.AddRange(page[..result.Count].Select(e => e.Seq));
            cursor = page[result.Count - 1].Seq;
        }

        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), seen);
    }

    [Fact]
    public async Task Read_AtOrPastHead_ReturnsNothing()
    {
        var log = await LogWithAsync(ReplayLogOptions.Default, Id, TestStreams.OpenAnswer(3));
        var page = new SequencedEvent[4];

        Assert.Equal(new ReplayReadResult(true, 0, false, 3, false), await log.ReadAsync(Id, 3, page, Ct));
        Assert.Equal(new ReplayReadResult(true, 0, false, 3, false), await log.ReadAsync(Id, 50, page, Ct));
    }

    [Fact]
    public async Task Read_EmptyStream_ReturnsNothingWithHeadMinusOne()
    {
        var log = await CreateLogAsync();
        await log.CreateAsync(Id, Ct);

        Assert.Equal(new ReplayReadResult(true, 0, false, -1, false), await log.ReadAsync(Id, -1, new SequencedEvent[2], Ct));
    }

    [Fact]
    public async Task Read_UnknownStream_ReturnsNotFound()
    {
        var log = await CreateLogAsync();

        Assert.Equal(ReplayReadResult.NotFound, await log.ReadAsync("nope", -1, new SequencedEvent[2], Ct));
    }

    [Fact]
    public async Task Read_InvalidArguments_ThrowWithParameterName()
    {
        var log = await CreateLogAsync();

        Assert.Equal("afterSeq", Assert.Throws<ArgumentOutOfRangeException>(() => log.ReadAsync(Id, -2, new SequencedEvent[2], Ct)).ParamName);
        Assert.Equal("destination", Assert.Throws<ArgumentOutOfRangeException>(() => log.ReadAsync(Id, -1, new SequencedEvent[1], Ct)).ParamName);
        Assert.Equal("streamId", Assert.Throws<ArgumentNullException>(() => log.ReadAsync(null!, -1, new SequencedEvent[2], Ct)).ParamName);
    }

    [Fact]
    public async Task WaitForEventAfter_CompletesOnAppend()
    {
        var log = await LogWithAsync(ReplayLogOptions.Default, Id, TestStreams.OpenAnswer(1));

        var wait = log.WaitForEventAfterAsync(Id, 1, Ct).AsTask();
        Assert.False(wait.IsCompleted);

        await log.AppendAsync(Id, new SequencedEvent(2, new TokenEvent("x")), Ct);
        await wait;
    }

    [Fact]
    public async Task WaitForEventAfter_TwoReaders_BothReleasedByOneAppend()
    {
        var log = await LogWithAsync(ReplayLogOptions.Default, Id, TestStreams.OpenAnswer(1));

        var first = log.WaitForEventAfterAsync(Id, 1, Ct).AsTask();
        var second = log.WaitForEventAfterAsync(Id, 1, Ct).AsTask();
        Assert.False(first.IsCompleted || second.IsCompleted);

        await log.AppendAsync(Id, new SequencedEvent(2, new TokenEvent("x")), Ct);
        await Task.WhenAll(first, second);
    }

    [Fact]
    public async Task WaitForEventAfter_AlreadyAvailable_CompletesAtOnce()
    {
        var log = await LogWithAsync(ReplayLogOptions.Default, Id, TestStreams.OpenAnswer(3));

        await AssertCompletesAtOnceAsync(log.WaitForEventAfterAsync(Id, 2, Ct));
        await AssertCompletesAtOnceAsync(log.WaitForEventAfterAsync(Id, -1, Ct));
    }

    [Fact]
    public async Task WaitForEventAfter_CompleteStream_CompletesAtOnce()
    {
        var log = await LogWithAsync(ReplayLogOptions.Default, Id, TestStreams.Answer("a"));

        await AssertCompletesAtOnceAsync(log.WaitForEventAfterAsync(Id, 2, Ct));
    }

    [Fact]
    public async Task WaitForEventAfter_UnknownStream_CompletesAtOnce()
    {
        var log = await CreateLogAsync();

        await AssertCompletesAtOnceAsync(log.WaitForEventAfterAsync("nope", -1, Ct));
    }

    [Fact]
    public async Task WaitForEventAfter_Cancelled_Throws()
    {
        var log = await LogWithAsync(ReplayLogOptions.Default, Id, TestStreams.OpenAnswer(1));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var wait = log.WaitForEventAfterAsync(Id, 1, cts.Token).AsTask();
        Assert.False(wait.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait);

        // The abandoned wait leaves the stream working for the next reader.
        var next = log.WaitForEventAfterAsync(Id, 1, Ct).AsTask();
        await log.AppendAsync(Id, new SequencedEvent(2, new TokenEvent("x")), Ct);
        await next;
    }

    [Fact]
    public async Task Remove_ReleasesWaitersAndForgetsStream()
    {
        var log = await LogWithAsync(ReplayLogOptions.Default, Id, TestStreams.OpenAnswer(1));
        var wait = log.WaitForEventAfterAsync(Id, 1, Ct).AsTask();
        Assert.False(wait.IsCompleted);

        await log.RemoveAsync(Id, Ct);

        await wait;
        Assert.Equal(ReplayReadResult.NotFound, await log.ReadAsync(Id, -1, new SequencedEvent[2], Ct));
        await AssertCompletesAtOnceAsync(log.WaitForEventAfterAsync(Id, 1, Ct));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => log.AppendAsync(Id, new SequencedEvent(2, new TokenEvent("x")), Ct).AsTask());

        // The id is free again, for a new, empty stream.
        await log.CreateAsync(Id, Ct);
        Assert.Equal(-1, (await ReadAllAsync(log)).Head);
    }

    [Fact]
    public async Task Remove_UnknownStream_DoesNothing()
    {
        var log = await CreateLogAsync();

        await log.RemoveAsync("nope", Ct);
    }

    protected static async Task<ReplayReadResult> ReadAllAsync(IReplayLog log) =>
        await log.ReadAsync(Id, -1, new SequencedEvent[8192], Ct);
}
