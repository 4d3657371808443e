using System.Text.Json;
using Sluice.Protocol;

namespace Sluice.AspNetCore.Tests;

public sealed class EventCoalescerTests
{
    [Fact]
    public void Join_ConsecutiveTokens_OneEventCoveringTheirSeqs()
    {
        SequencedEvent[] events = [At(3, new TokenEvent("Hel")), At(4, new TokenEvent("lo")), At(5, new TokenEvent(", wörld")), At(6, new DoneEvent(FinishReason.Stop, Usage.Zero))];

        var covered = EventCoalescer.Join(events, 0, events.Length, out var joined);

        Assert.Equal(3, covered);
        Assert.Equal(new SequencedEvent(5, new TokenEvent("Hello, wörld")) { FirstSeq = 3 }, joined);
    }

    [Fact]
    public void Join_StopsAtTheEndGiven()
    {
        SequencedEvent[] events = [At(1, new TokenEvent("a")), At(2, new TokenEvent("b")), At(3, new TokenEvent("c"))];

        Assert.Equal(2, EventCoalescer.Join(events, 0, 2, out var joined));
        Assert.Equal("ab", Assert.IsType<TokenEvent>(joined.Event).Content);
        Assert.Equal(1, EventCoalescer.Join(events, 2, 3, out var last));
        Assert.Same(events[2].Event, last.Event);
        Assert.Equal(3, last.FirstSeq);
    }

    [Fact]
    public void Join_DifferentKinds_AreNotJoined()
    {
        SequencedEvent[] events = [At(1, new ReasoningEvent("think")), At(2, new ReasoningEvent("ing")), At(3, new TokenEvent("answer"))];

        Assert.Equal(2, EventCoalescer.Join(events, 0, events.Length, out var reasoning));
        Assert.Equal(new SequencedEvent(2, new ReasoningEvent("thinking")) { FirstSeq = 1 }, reasoning);
        Assert.Equal(1, EventCoalescer.Join(events, 2, events.Length, out _));
    }

    [Fact]
    public void Join_ToolCallDeltas_OnlyOfTheSameCall_KeepingTheLatestPartialValue()
    {
        var partial = JsonDocument.Parse("""{"city":"Os"}""").RootElement;
        SequencedEvent[] events =
        [
            At(4, new ToolCallDeltaEvent("a", """{"ci""", partial)),
            At(5, new ToolCallDeltaEvent("a", """ty":"Os""")),
            At(6, new ToolCallDeltaEvent("b", "{")),
        ];

        Assert.Equal(2, EventCoalescer.Join(events, 0, events.Length, out var joined));
        var delta = Assert.IsType<ToolCallDeltaEvent>(joined.Event);
        Assert.Equal(("a", """{"city":"Os"""), (delta.Id, delta.Delta));
        Assert.Equal("""{"city":"Os"}""", delta.Partial?.GetRawText());
        Assert.Equal((4, 5), (joined.FirstSeq, joined.Seq));
    }

    [Fact]
    public void Join_ObjectFragments_ButNeverTheFinalObject()
    {
        SequencedEvent[] events = [At(1, new ObjectEvent("{\"a\"")), At(2, new ObjectEvent(":1}")), At(3, ObjectEvent.Final(null, valid: false, ["x"]))];

        Assert.Equal(2, EventCoalescer.Join(events, 0, events.Length, out var joined));
        Assert.Equal("{\"a\":1}", Assert.IsType<ObjectEvent>(joined.Event).Delta);
        Assert.Equal(1, EventCoalescer.Join(events, 2, events.Length, out var final));
        Assert.True(Assert.IsType<ObjectEvent>(final.Event).IsFinal);
    }

    [Fact]
    public void Join_Snapshot_IsNeverJoined()
    {
        SequencedEvent[] events = [At(5, new SnapshotEvent(5, "abc", "", [])), At(6, new TokenEvent("d"))];

        Assert.Equal(1, EventCoalescer.Join(events, 0, events.Length, out var joined));
        Assert.IsType<SnapshotEvent>(joined.Event);
    }

    private static SequencedEvent At(long seq, StreamEvent evt) => new(seq, evt);
}
