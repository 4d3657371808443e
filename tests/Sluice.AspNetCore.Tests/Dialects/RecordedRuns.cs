using System.Text.Json;
using Sluice.Protocol;

namespace Sluice.AspNetCore.Tests.Dialects;

/// <summary>
/// Runs as the replay log holds them, seq by seq: the shapes of the recorded provider streams in tests/Fixtures
/// (a markdown answer, a tool call, an error mid-stream), plus reasoning, a cancel, a snapshot prefix and coalesced
/// deltas, which no fixture records.
/// </summary>
internal static class RecordedRuns
{
    public static TheoryData<string> Names => [.. All.Keys];

    public static IReadOnlyDictionary<string, SequencedEvent[]> All { get; } = new Dictionary<string, SequencedEvent[]>(StringComparer.Ordinal)
    {
        // anthropic-text-markdown: text that needs escaping inside JSON and must not break SSE framing.
        ["text"] = Sequence(
            new StartEvent("Xq3uMh0bI2gVvbN6ZQ4m1A", "sluice-simulated-1", "secret-token"),
            new TokenEvent("Hello"),
            new TokenEvent(", wörld"),
            new TokenEvent(string.Empty),
            new TokenEvent("!\n\ndata: not a field\r\nid: 7 \"quoted\" 😀"),
            new DoneEvent(FinishReason.Stop, new Usage(12, 3))),

        // anthropic-tool-use: a sentence, then a call whose arguments arrive in fragments.
        ["tool-call"] = Sequence(
            new StartEvent("b1F0c2RhdGFiYXNlMTIzNA", "claude-sonnet-4-5"),
            new TokenEvent("Let me check."),
            new ToolCallStartEvent("call_5f2a", "get_weather", 0),
            new ToolCallDeltaEvent("call_5f2a", "{\"city\":\"Pa"),
            new ToolCallDeltaEvent("call_5f2a", "ris\"}"),
            new ToolCallEndEvent("call_5f2a", "{\"city\":\"Paris\"}", Valid: true),
            new DoneEvent(FinishReason.ToolCalls, new Usage(40, 9))),

        // The gateway's verdict against the tool's schema: the client gets the raw text and why.
        ["tool-call-invalid"] = Sequence(
            new StartEvent("b1F0c2RhdGFiYXNlMTIzNA", "claude-sonnet-4-5"),
            new ToolCallStartEvent("call_5f2a", "get_weather", 0),
            new ToolCallDeltaEvent("call_5f2a", "{\"city\":\"Paris\",\"days\":40}"),
            new ToolCallEndEvent("call_5f2a", "{\"city\":\"Paris\",\"days\":40}", Valid: false, ["$.days: 40 should be at most 14 (maximum)"]),
            new DoneEvent(FinishReason.ToolCalls, new Usage(40, 9))),

        ["reasoning"] = Sequence(
            new StartEvent("UmVhc29uaW5nUnVuMDAwMQ", "sluice-simulated-1"),
            new ReasoningEvent("The user wants "),
            new ReasoningEvent("a greeting."),
            new TokenEvent("Hi there"),
            new DoneEvent(FinishReason.Stop, new Usage(5, 7))),

        // anthropic-overloaded-midstream: some text, then the provider's error.
        ["error"] = Sequence(
            new StartEvent("Zm9vYmFyYmF6cXV4cXV1eA", "claude-sonnet-4-5"),
            new TokenEvent("Partial answ"),
            new ErrorEvent("overloaded_error", "The provider is overloaded.", Retryable: true)),

        // Stopped while a call was streaming: the validator closes the call, then done/cancelled.
        ["cancel"] = Sequence(
            new StartEvent("Q2FuY2VsbGVkUnVuMDAwMQ", "sluice-simulated-1"),
            new TokenEvent("Searching"),
            new ToolCallStartEvent("call_1", "search", 0),
            new ToolCallDeltaEvent("call_1", "{\"q\":\"sl"),
            new ToolCallEndEvent("call_1", "{\"q\":\"sl", Valid: false, ["Truncated: the stream was cancelled before the JSON was complete."]),
            new DoneEvent(FinishReason.Cancelled, Usage.Zero)),

        // A reader whose position the log evicted: one snapshot through seq 41, then live events.
        ["snapshot"] =
        [
            new SequencedEvent(41, new SnapshotEvent(41, "Everything so far", "Thought about it.", [new ToolCallSnapshot("call_1", "search", 0, "{\"q\":\"sl", Complete: false)])),
            new SequencedEvent(42, new ToolCallDeltaEvent("call_1", "uice\"}")),
            new SequencedEvent(43, new ToolCallEndEvent("call_1", "{\"q\":\"sluice\"}", Valid: true)),
            new SequencedEvent(44, new DoneEvent(FinishReason.ToolCalls, new Usage(100, 50))),
        ],

        // A reader that fell behind while live: it has "Hello wor" and the call's start; the snapshot holds more of both.
        ["snapshot-mid-stream"] =
        [
            new SequencedEvent(0, new StartEvent("TWlkU3RyZWFtU25hcDAwMQ", "sluice-simulated-1")),
            new SequencedEvent(1, new TokenEvent("Hello")),
            new SequencedEvent(2, new TokenEvent(" wor")),
            new SequencedEvent(3, new ToolCallStartEvent("call_1", "search", 0)),
            new SequencedEvent(9, new SnapshotEvent(9, "Hello world", string.Empty, [new ToolCallSnapshot("call_1", "search", 0, "{\"q\":\"x\"}", Complete: true, Valid: true), new ToolCallSnapshot("call_2", "search", 1, "{\"q\"", Complete: false)])),
            new SequencedEvent(10, new ToolCallDeltaEvent("call_2", ":\"y\"}")),
            new SequencedEvent(11, new ToolCallEndEvent("call_2", "{\"q\":\"y\"}", Valid: true)),
            new SequencedEvent(12, new DoneEvent(FinishReason.ToolCalls, new Usage(9, 9))),
        ],

        // A lagging reader: consecutive tokens and one call's fragments joined into one event each (FirstSeq < Seq).
        ["coalesced"] =
        [
            new SequencedEvent(0, new StartEvent("Q29hbGVzY2VkUnVuMDAwMQ", "sluice-simulated-1")),
            new SequencedEvent(5, new TokenEvent("one two three four five")) { FirstSeq = 1 },
            new SequencedEvent(6, new ToolCallStartEvent("call_9", "lookup", 0)),
            new SequencedEvent(9, new ToolCallDeltaEvent("call_9", "{\"id\":42}")) { FirstSeq = 7 },
            new SequencedEvent(10, new ToolCallEndEvent("call_9", "{\"id\":42}", Valid: true)),
            new SequencedEvent(11, new DoneEvent(FinishReason.ToolCalls, new Usage(3, 4))),
        ],

        ["structured-output"] = Sequence(
            new StartEvent("U3RydWN0dXJlZFJ1bjAwMQ", "sluice-simulated-1"),
            new ObjectEvent("{\"city\":\"Os"),
            new ObjectEvent("lo\",\"days\":3}"),
            ObjectEvent.Final(JsonDocument.Parse("{\"city\":\"Oslo\",\"days\":3}").RootElement, valid: true),
            new DoneEvent(FinishReason.Length, new Usage(30, 8))),
    };

    private static SequencedEvent[] Sequence(params StreamEvent[] events) =>
        [.. events.Select((evt, seq) => new SequencedEvent(seq, evt))];
}
