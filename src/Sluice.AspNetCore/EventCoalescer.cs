using System.Text.Json;
using Sluice.Protocol;

namespace Sluice.AspNetCore;

/// <summary>
/// Joins consecutive fragments a reader receives together (<c>token</c>s, <c>reasoning</c>, one call's
/// <c>tool_call_delta</c>s, structured-output fragments) into one event covering their seqs, so a reader that lags
/// catches up in few frames and flushes instead of one per token (PROTOCOL.md, "Coalesced events").
/// </summary>
/// <remarks>
/// Only what the log already holds when the reader reads is joined: a reader that keeps up reads one event at a time,
/// and its frames stay one per event. The joined content costs one string per frame, instead of a frame per token.
/// </remarks>
internal static class EventCoalescer
{
    /// <summary>Joins the fragments that can follow <c>events[start]</c> into it.</summary>
    /// <param name="events">What one read of the log returned.</param>
    /// <param name="start">The first event to consider.</param>
    /// <param name="end">One past the last event to consider.</param>
    /// <param name="joined">The event to send: <c>events[start]</c> itself when nothing could be joined to it.</param>
    /// <returns>How many events <paramref name="joined"/> stands for (1 when nothing was joined).</returns>
    public static int Join(SequencedEvent[] events, int start, int end, out SequencedEvent joined)
    {
        var first = events[start];
        var last = start + 1;
        while (last < end && CanJoin(first.Event, events[last].Event))
        {
            last++;
        }

        var count = last - start;
        if (count == 1)
        {
            joined = first;
            return 1;
        }

        var content = Concatenate(events, start, count);
        StreamEvent evt = first.Event switch
        {
            TokenEvent => new TokenEvent(content),
            ReasoningEvent => new ReasoningEvent(content),
            ToolCallDeltaEvent delta => new ToolCallDeltaEvent(delta.Id, content, LatestPartial(events, start, count)),
            _ => new ObjectEvent(content, LatestPartial(events, start, count)),
        };
        joined = new SequencedEvent(events[last - 1].Seq, evt) { FirstSeq = first.FirstSeq };
        return count;
    }

    private static bool CanJoin(StreamEvent first, StreamEvent next) => (first, next) switch
    {
        (TokenEvent, TokenEvent) => true,
        (ReasoningEvent, ReasoningEvent) => true,
        (ToolCallDeltaEvent a, ToolCallDeltaEvent b) => string.Equals(a.Id, b.Id, StringComparison.Ordinal),
        (ObjectEvent a, ObjectEvent b) => !a.IsFinal && !b.IsFinal,
        _ => false,
    };

    private static string Fragment(StreamEvent evt) => evt switch
    {
        TokenEvent token => token.Content,
        ReasoningEvent reasoning => reasoning.Content,
        ToolCallDeltaEvent delta => delta.Delta,
        ObjectEvent fragment => fragment.Delta,
        _ => throw new InvalidOperationException($"A {evt.Type} event is not a fragment."),
    };

    private static string Concatenate(SequencedEvent[] events, int start, int count)
    {
        var length = 0;
        for (var i = start; i < start + count; i++)
        {
            length += Fragment(events[i].Event).Length;
        }

        return string.Create(length, (events, start, count), static (destination, state) =>
        {
            for (var i = state.start; i < state.start + state.count; i++)
            {
                var fragment = Fragment(state.events[i].Event);
                fragment.CopyTo(destination);
                destination = destination[fragment.Length..];
            }
        });
    }

    /// <summary>The last <c>partial</c> value among the joined fragments: the freshest view of the value so far.</summary>
    private static JsonElement? LatestPartial(SequencedEvent[] events, int start, int count)
    {
        for (var i = start + count - 1; i >= start; i--)
        {
            var partial = events[i].Event switch
            {
                ToolCallDeltaEvent delta => delta.Partial,
                ObjectEvent fragment => fragment.Partial,
                _ => null,
            };
            if (partial is not null)
            {
                return partial;
            }
        }

        return null;
    }
}
