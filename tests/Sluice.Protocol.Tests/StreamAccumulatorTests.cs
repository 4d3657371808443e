using System.Text.Json;

namespace Sluice.Protocol.Tests;

public sealed class StreamAccumulatorTests
{
    [Fact]
    public void Apply_FullStream_AccumulatesEveryField()
    {
        using var document = JsonDocument.Parse("""{"city":"Paris"}""");
        var accumulator = new StreamAccumulator();

        ApplyAll(
            accumulator,
            new StartEvent("s1", "model-x"),
            new ReasoningEvent("think "),
            new TokenEvent("Hel"),
            new ReasoningEvent("more"),
            new TokenEvent("lo"),
            new ObjectEvent("{\"city\":"),
            new ObjectEvent("\"Paris\"}"),
            ObjectEvent.Final(document.RootElement, valid: true),
            new DoneEvent(FinishReason.Stop, new Usage(3, 4)));

        Assert.Equal(8, accumulator.LastSeq);
        Assert.Equal("s1", accumulator.StreamId);
        Assert.Equal("model-x", accumulator.Model);
        Assert.Equal("Hello", accumulator.Text);
        Assert.Equal("think more", accumulator.Reasoning);
        Assert.Equal("""{"city":"Paris"}""", accumulator.Object!.Text);
        Assert.True(accumulator.Object.Complete);
        Assert.True(accumulator.Object.Valid);
        Assert.Equal("""{"city":"Paris"}""", accumulator.Object.Value!.Value.GetRawText());
        Assert.Equal(FinishReason.Stop, accumulator.FinishReason);
        Assert.Equal(new Usage(3, 4), accumulator.Usage);
        Assert.Null(accumulator.Error);
        Assert.True(accumulator.IsComplete);
    }

    [Fact]
    public void Apply_Error_IsTerminalAndKeepsTheError()
    {
        var accumulator = new StreamAccumulator();
        var error = new ErrorEvent("overloaded_error", "Try later.", Retryable: true);

        ApplyAll(accumulator, new StartEvent("s1", "m"), new TokenEvent("Part"), error);

        Assert.True(accumulator.IsComplete);
        Assert.Same(error, accumulator.Error);
        Assert.Null(accumulator.FinishReason);
        Assert.Equal("Part", accumulator.Text);
    }

    [Fact]
    public void Apply_Fresh_StartsEmpty()
    {
        var accumulator = new StreamAccumulator();

        Assert.Equal(-1, accumulator.LastSeq);
        Assert.Equal(string.Empty, accumulator.Text);
        Assert.Equal(string.Empty, accumulator.Reasoning);
        Assert.Empty(accumulator.ToolCalls);
        Assert.Null(accumulator.Object);
        Assert.False(accumulator.IsComplete);
    }

    [Fact]
    public void Apply_Duplicate_ReturnsFalseAndChangesNothing()
    {
        var accumulator = new StreamAccumulator();
        ApplyAll(accumulator, new StartEvent("s1", "m"), new TokenEvent("a"), new TokenEvent("b"));

        Assert.False(accumulator.Apply(new SequencedEvent(1, new TokenEvent("a"))));
        Assert.False(accumulator.Apply(new SequencedEvent(2, new TokenEvent("b"))));
        Assert.False(accumulator.Apply(new SequencedEvent(2, new SnapshotEvent(2, "xx", "", []))));

        Assert.Equal("ab", accumulator.Text);
        Assert.Equal(2, accumulator.LastSeq);
    }

    [Fact]
    public void Apply_DuplicateAfterTerminal_ReturnsFalse()
    {
        var accumulator = new StreamAccumulator();
        ApplyAll(accumulator, new StartEvent("s1", "m"), new DoneEvent(FinishReason.Stop, Usage.Zero));

        Assert.False(accumulator.Apply(new SequencedEvent(1, new DoneEvent(FinishReason.Stop, Usage.Zero))));
    }

    [Fact]
    public void Apply_CoalescedToken_CoversItsWholeRange()
    {
        var accumulator = new StreamAccumulator();
        ApplyAll(accumulator, new StartEvent("s1", "m"), new TokenEvent("a"));

        Assert.True(accumulator.Apply(new SequencedEvent(5, new TokenEvent("bcde")) { FirstSeq = 2 }));
        Assert.True(accumulator.Apply(new SequencedEvent(6, new TokenEvent("f"))));

        Assert.Equal("abcdef", accumulator.Text);
        Assert.Equal(6, accumulator.LastSeq);
        Assert.False(accumulator.Apply(new SequencedEvent(5, new TokenEvent("bcde")) { FirstSeq = 2 })); // a replay of it
    }

    [Fact]
    public void Apply_CoalescedOverlappingWhatIsApplied_ThrowsAndChangesNothing()
    {
        var accumulator = new StreamAccumulator();
        ApplyAll(accumulator, new StartEvent("s1", "m"), new TokenEvent("a"), new TokenEvent("b"));

        var ex = Assert.Throws<InvalidOperationException>(() => accumulator.Apply(new SequencedEvent(4, new TokenEvent("bcd")) { FirstSeq = 2 }));

        Assert.Contains("overlaps seq 2", ex.Message, StringComparison.Ordinal);
        Assert.Equal("ab", accumulator.Text);
        Assert.Equal(2, accumulator.LastSeq);
    }

    [Fact]
    public void Apply_CoalescedAfterAGap_Throws()
    {
        var accumulator = new StreamAccumulator();
        ApplyAll(accumulator, new StartEvent("s1", "m"));

        var ex = Assert.Throws<InvalidOperationException>(() => accumulator.Apply(new SequencedEvent(4, new TokenEvent("cd")) { FirstSeq = 3 }));

        Assert.Contains("Expected seq 1 but got 3", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_Gap_ThrowsNamingExpectedAndActualSeq()
    {
        var accumulator = new StreamAccumulator();
        ApplyAll(accumulator, new StartEvent("s1", "m"), new TokenEvent("a"));

        var ex = Assert.Throws<InvalidOperationException>(() => accumulator.Apply(new SequencedEvent(5, new TokenEvent("x"))));

        Assert.Contains("Expected seq 2 but got 5", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, accumulator.LastSeq);
        Assert.Equal("a", accumulator.Text);
    }

    [Fact]
    public void Apply_FirstEventNotSeqZero_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new StreamAccumulator().Apply(new SequencedEvent(1, new TokenEvent("x"))));
    }

    [Fact]
    public void Apply_DefaultSequencedEvent_ThrowsWithParameterName()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => new StreamAccumulator().Apply(default));

        Assert.Equal("sequencedEvent", ex.ParamName);
    }

    [Fact]
    public void Apply_AfterTerminal_Throws()
    {
        var accumulator = new StreamAccumulator();
        ApplyAll(accumulator, new StartEvent("s1", "m"), new TokenEvent("a"), new DoneEvent(FinishReason.Stop, Usage.Zero));

        Assert.Throws<InvalidOperationException>(() => accumulator.Apply(new SequencedEvent(3, new TokenEvent("late"))));
        Assert.Throws<InvalidOperationException>(() => accumulator.Apply(new SequencedEvent(9, new SnapshotEvent(9, "x", "", []))));

        Assert.Equal("a", accumulator.Text);
        Assert.Equal(2, accumulator.LastSeq);
    }

    [Fact]
    public void Apply_Snapshot_ReplacesWholeStateAndJumpsToUpTo()
    {
        using var document = JsonDocument.Parse("[1,2]");
        var accumulator = new StreamAccumulator();
        ApplyAll(
            accumulator,
            new StartEvent("s1", "m"),
            new TokenEvent("old text"),
            new ReasoningEvent("old reasoning"),
            new ToolCallStartEvent("old_call", "f", 0));
        var snapshot = new SnapshotEvent(
            40,
            "new text",
            "new reasoning",
            [new ToolCallSnapshot("c1", "search", 0, """{"q":1}""", Complete: true, Valid: false, Errors: ["$.q: not a string"]), new ToolCallSnapshot("c2", "fetch", 1, "{\"u", Complete: false)],
            new ObjectSnapshot("[1,", Complete: false));

        Assert.True(accumulator.Apply(new SequencedEvent(40, snapshot)));
        Assert.True(accumulator.Apply(new SequencedEvent(41, new TokenEvent("!"))));
        Assert.True(accumulator.Apply(new SequencedEvent(42, new ToolCallDeltaEvent("c2", "\":2}"))));
        Assert.True(accumulator.Apply(new SequencedEvent(43, new ObjectEvent("2]"))));

        Assert.Equal(43, accumulator.LastSeq);
        Assert.Equal("new text!", accumulator.Text);
        Assert.Equal("new reasoning", accumulator.Reasoning);
        Assert.Equal("[1,2]", accumulator.Object!.Text);
        Assert.False(accumulator.ToolCalls[0].Valid);
        Assert.Equal(["$.q: not a string"], accumulator.ToolCalls[0].Errors);
        Assert.Collection(
            accumulator.ToolCalls,
            call =>
            {
                Assert.Equal(("c1", "search", 0, """{"q":1}""", true), (call.Id, call.Name, call.Index, call.Arguments, call.Complete));
                Assert.False(call.Valid);
            },
            call => Assert.Equal(("c2", "fetch", 1, """{"u":2}""", false), (call.Id, call.Name, call.Index, call.Arguments, call.Complete)));

        // The snapshot carries no start fields, so what the start gave stays.
        Assert.Equal("m", accumulator.Model);
    }

    [Fact]
    public void Apply_SnapshotOnFreshAccumulator_IsAccepted()
    {
        var accumulator = new StreamAccumulator();

        Assert.True(accumulator.Apply(new SequencedEvent(7, new SnapshotEvent(7, "so far", "", []))));

        Assert.Equal(7, accumulator.LastSeq);
        Assert.Equal("so far", accumulator.Text);
        Assert.Null(accumulator.Model);
    }

    [Fact]
    public void Apply_InterleavedToolCalls_EachCallGetsItsOwnFragments()
    {
        var accumulator = new StreamAccumulator();

        ApplyAll(
            accumulator,
            new StartEvent("s1", "m"),
            new ToolCallStartEvent("a", "get_weather", 0),
            new ToolCallStartEvent("b", "get_time", 1),
            new ToolCallDeltaEvent("a", "{\"ci"),
            new ToolCallDeltaEvent("b", "{\"tz"),
            new ToolCallDeltaEvent("a", "ty\":\"Paris\"}"),
            new ToolCallDeltaEvent("b", "\":\"CET"));

        Assert.Collection(
            accumulator.ToolCalls,
            call => Assert.Equal(("a", "get_weather", 0, """{"city":"Paris"}""", false), (call.Id, call.Name, call.Index, call.Arguments, call.Complete)),
            call => Assert.Equal(("b", "get_time", 1, "{\"tz\":\"CET", false), (call.Id, call.Name, call.Index, call.Arguments, call.Complete)));

        ApplyAll(accumulator, 7, new ToolCallEndEvent("b", """{"tz":"CET"}""", Valid: true), new ToolCallEndEvent("a", "{bad", Valid: false, Errors: ["not JSON"]));

        var (a, b) = (accumulator.ToolCalls[0], accumulator.ToolCalls[1]);
        Assert.Equal(("{bad", true, false), (a.Arguments, a.Complete, a.Valid));
        Assert.Equal(["not JSON"], a.Errors!);
        Assert.Equal(("""{"tz":"CET"}""", true, true), (b.Arguments, b.Complete, b.Valid));
        Assert.Null(b.Errors);
    }

    [Fact]
    public void Apply_ToolCallsStartedOutOfIndexOrder_ListsThemInIndexOrder()
    {
        var accumulator = new StreamAccumulator();

        ApplyAll(accumulator, new StartEvent("s1", "m"), new ToolCallStartEvent("second", "f", 1), new ToolCallStartEvent("first", "f", 0));

        Assert.Equal(["first", "second"], accumulator.ToolCalls.Select(c => c.Id));
    }

    [Theory]
    [InlineData("delta-unknown")]
    [InlineData("end-unknown")]
    [InlineData("start-twice")]
    [InlineData("delta-after-end")]
    public void Apply_InconsistentToolCall_ThrowsAndChangesNothing(string scenario)
    {
        var accumulator = new StreamAccumulator();
        ApplyAll(accumulator, new StartEvent("s1", "m"), new ToolCallStartEvent("a", "f", 0), new ToolCallEndEvent("a", "{}", Valid: true));
        StreamEvent bad = scenario switch
        {
            "delta-unknown" => new ToolCallDeltaEvent("zzz", "x"),
            "end-unknown" => new ToolCallEndEvent("zzz", "{}", Valid: true),
            "start-twice" => new ToolCallStartEvent("a", "f", 1),
            _ => new ToolCallDeltaEvent("a", "x"),
        };

        Assert.Throws<InvalidOperationException>(() => accumulator.Apply(new SequencedEvent(3, bad)));

        Assert.Equal(2, accumulator.LastSeq);
        Assert.Equal("{}", Assert.Single(accumulator.ToolCalls).Arguments);
    }

    [Fact]
    public void ToSnapshot_ThenApplyOnFreshAccumulator_GivesSameState()
    {
        using var document = JsonDocument.Parse("""{"partial":[true]}""");
        var original = new StreamAccumulator();
        ApplyAll(
            original,
            new StartEvent("s1", "m"),
            new TokenEvent("Hi "),
            new ReasoningEvent("hmm"),
            new ToolCallStartEvent("a", "f", 0),
            new ToolCallDeltaEvent("a", "{\"x\""),
            new ToolCallEndEvent("a", "{\"x\":1}", Valid: true),
            new ToolCallStartEvent("b", "g", 1),
            new ToolCallDeltaEvent("b", "[1,"),
            new ObjectEvent("{\"partial\":"),
            new ObjectEvent("[true]}"),
            ObjectEvent.Final(document.RootElement, valid: true),
            new TokenEvent("there"));

        var snapshot = original.ToSnapshot();
        var copy = new StreamAccumulator();
        Assert.True(copy.Apply(new SequencedEvent(snapshot.UpTo, snapshot)));

        Assert.Equal(11, snapshot.UpTo);
        Assert.Equal(original.LastSeq, copy.LastSeq);
        Assert.Equal(original.Text, copy.Text);
        Assert.Equal(original.Reasoning, copy.Reasoning);
        Assert.Equal(Calls(original), Calls(copy));
        Assert.Equal(original.Object!.Text, copy.Object!.Text);
        Assert.Equal(original.Object.Value!.Value.GetRawText(), copy.Object.Value!.Value.GetRawText());
        Assert.True(copy.Object.Valid);
        Assert.Equal(original.ToSnapshot().ToolCalls, copy.ToSnapshot().ToolCalls);

        // Both continue identically.
        var next = new SequencedEvent(10, new ToolCallDeltaEvent("b", "2]"));
        original.Apply(next);
        copy.Apply(next);
        Assert.Equal(Calls(original), Calls(copy));
    }

    [Fact]
    public void ToSnapshot_BeforeAnyEvent_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => new StreamAccumulator().ToSnapshot());
    }

    [Fact]
    public void ToolCalls_ReturnedList_CannotBeModified()
    {
        var accumulator = new StreamAccumulator();
        ApplyAll(accumulator, new StartEvent("s1", "m"), new ToolCallStartEvent("a", "f", 0));

        Assert.False(accumulator.ToolCalls is List<ToolCallState>);
        Assert.True(((ICollection<ToolCallState>)accumulator.ToolCalls).IsReadOnly);
    }

    private static void ApplyAll(StreamAccumulator accumulator, params StreamEvent[] events) => ApplyAll(accumulator, 0, events);

    private static void ApplyAll(StreamAccumulator accumulator, long firstSeq, params StreamEvent[] events)
    {
        for (var i = 0; i < events.Length; i++)
        {
            Assert.True(accumulator.Apply(new SequencedEvent(firstSeq + i, events[i])));
        }
    }

    private static (string Id, string Name, int Index, string Arguments, bool Complete)[] Calls(StreamAccumulator accumulator) =>
        [.. accumulator.ToolCalls.Select(c => (c.Id, c.Name, c.Index, c.Arguments, c.Complete))];
}
