using System.Runtime.InteropServices;
using System.Text.Json;
using Sluice.Protocol;

namespace Sluice.ReplayLog;

/// <summary>Estimates how much memory an event holds, for the byte bound of a replay log.</summary>
public static class EventSize
{
    // What every event is charged besides its text: the event object, its slot in the log, and its strings' headers.
    private const long Overhead = 64;

    /// <summary>
    /// Estimates the bytes that <paramref name="streamEvent"/> keeps alive: 64 bytes of overhead (the event object,
    /// its slot in the log, its strings' headers) plus 2 bytes per UTF-16 character of every string it carries
    /// (content, delta, arguments, ids, names, model, resume token, codes, messages, errors, finish reason, and a
    /// snapshot's text, reasoning and tool calls), plus 2 bytes per byte of the raw JSON of an <c>object</c> partial
    /// or a snapshot's object.
    /// </summary>
    /// <param name="streamEvent">The event.</param>
    /// <returns>The estimate, in bytes; at least 64.</returns>
    /// <remarks>
    /// <para>
    /// An approximation, not a measurement: it ignores object alignment, strings shared between events (such as a
    /// finish reason) and what a JSON value's document holds besides its text. It is cheap (it reads lengths and
    /// allocates nothing) and deterministic, so a log may compute it again instead of storing it.
    /// </para>
    /// <para>
    /// JSON values are counted at 2 bytes per UTF-8 byte of their raw text: the document holds the UTF-8 text itself
    /// and an index of about the same size again.
    /// </para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="streamEvent"/> is null.</exception>
    public static long Estimate(StreamEvent streamEvent)
    {
        ArgumentNullException.ThrowIfNull(streamEvent);
        long chars = streamEvent switch
        {
            TokenEvent token => token.Content.Length,
            ReasoningEvent reasoning => reasoning.Content.Length,
            ToolCallDeltaEvent delta => (long)delta.Id.Length + delta.Delta.Length + JsonLength(delta.Partial),
            ToolCallStartEvent start => (long)start.Id.Length + start.Name.Length,
            ToolCallEndEvent end => (long)end.Id.Length + end.Arguments.Length + Length(end.Errors),
            StartEvent start => (long)start.StreamId.Length + start.Model.Length + (start.ResumeToken?.Length ?? 0),
            ObjectEvent obj => obj.Delta.Length + JsonLength(obj.Partial) + JsonLength(obj.Value) + Length(obj.Errors),
            SnapshotEvent snapshot => SnapshotLength(snapshot),
            ErrorEvent error => (long)error.Code.Length + error.Message.Length,
            DoneEvent done => done.FinishReason.Value.Length,
            _ => 0,
        };
        return Overhead + (2 * chars);
    }

    private static long Length(IReadOnlyList<string>? strings)
    {
        if (strings is null)
        {
            return 0;
        }

        long total = 0;
        for (var i = 0; i < strings.Count; i++)
        {
            total += strings[i]?.Length ?? 0;
        }

        return total;
    }

    private static long SnapshotLength(SnapshotEvent snapshot)
    {
        // Each tool call is an object of its own; charge it about half an overhead (in chars) besides its strings.
        const long CallOverheadChars = Overhead / 4;
        long total = (long)snapshot.Text.Length + snapshot.Reasoning.Length;
        for (var i = 0; i < snapshot.ToolCalls.Count; i++)
        {
            var call = snapshot.ToolCalls[i];
            total += CallOverheadChars + call.Id.Length + call.Name.Length + call.Arguments.Length + Length(call.Errors);
        }

        return total + (snapshot.Object is { } obj ? CallOverheadChars + obj.Text.Length + Length(obj.Errors) : 0);
    }

    // JsonMarshal gives the raw UTF-8 of the value as a span over its document: no string is made, unlike GetRawText.
    private static long JsonLength(JsonElement? value) =>
        value is not { ValueKind: not JsonValueKind.Undefined } element ? 0 : JsonMarshal.GetRawUtf8Value(element).Length;
}
