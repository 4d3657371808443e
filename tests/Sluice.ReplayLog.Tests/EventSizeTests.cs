using System.Text.Json;
using Sluice.Protocol;

namespace Sluice.ReplayLog.Tests;

public sealed class EventSizeTests
{
    [Fact]
    public void Estimate_Token_IsOverheadPlusTwoBytesPerChar()
    {
        Assert.Equal(64 + (2 * 5), EventSize.Estimate(new TokenEvent("hello")));
        Assert.Equal(64, EventSize.Estimate(new TokenEvent(string.Empty)));
    }

    [Fact]
    public void Estimate_EveryStringOfAnEvent_IsCounted()
    {
        Assert.Equal(64 + (2 * (2 + 5 + 6)), EventSize.Estimate(new StartEvent("id", "model", "secret")));
        Assert.Equal(64 + (2 * (1 + 3)), EventSize.Estimate(new ToolCallStartEvent("a", "fun", 0)));
        Assert.Equal(64 + (2 * (1 + 4)), EventSize.Estimate(new ToolCallDeltaEvent("a", "{\"x\"")));
        Assert.Equal(64 + (2 * (1 + 2 + 3 + 2)), EventSize.Estimate(new ToolCallEndEvent("a", "{}", false, ["bad", "no"])));
        Assert.Equal(64 + (2 * (4 + 3)), EventSize.Estimate(new ErrorEvent("code", "msg", false)));
        Assert.Equal(64 + (2 * 4), EventSize.Estimate(new DoneEvent(FinishReason.Stop, Usage.Zero)));
    }

    [Fact]
    public void Estimate_Object_CountsDeltaAndRawJsonLength()
    {
        var json = TestStreams.Json("{\"city\":\"Paris\"}");

        Assert.Equal(64 + (2 * (3 + 16)), EventSize.Estimate(new ObjectEvent("{\"c", json)));
        Assert.Equal(64 + (2 * 3), EventSize.Estimate(new ObjectEvent("{\"c")));
        Assert.Equal(64 + (2 * (16 + 4)), EventSize.Estimate(ObjectEvent.Final(json, valid: false, errors: ["nope"])));
    }

    [Fact]
    public void Estimate_Snapshot_CountsTextReasoningToolCallsAndObject()
    {
        var snapshot = new SnapshotEvent(9, "text", "why", [new ToolCallSnapshot("a", "f", 0, "{}", true)], new ObjectSnapshot("[1]", Complete: false));

        Assert.Equal(64 + (2 * (4 + 3 + (16 + 1 + 1 + 2) + (16 + 3))), EventSize.Estimate(snapshot));
    }

    [Fact]
    public void Estimate_AnyEvent_AllocatesNothing()
    {
        var events = new StreamEvent[]
        {
            new TokenEvent("hello"),
            new ObjectEvent("{", TestStreams.Json("{\"a\":[1,2,3]}")),
            new SnapshotEvent(3, "t", "r", [new ToolCallSnapshot("a", "f", 0, "{}", false)], new ObjectSnapshot("{}", Complete: false)),
            new ToolCallEndEvent("a", "{}", false, ["e"]),
        };
        EventSize.Estimate(events[1]);

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var evt in events)
        {
            EventSize.Estimate(evt);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Estimate_Null_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => EventSize.Estimate(null!));
    }

    [Fact]
    public void Estimate_JsonValueInsideLargerDocument_CountsOnlyTheValue()
    {
        using var document = JsonDocument.Parse("{\"big\":\"" + new string('x', 1000) + "\",\"small\":[1]}");

        Assert.Equal(64 + (2 * 3), EventSize.Estimate(new ObjectEvent("", document.RootElement.GetProperty("small"))));
    }
}
