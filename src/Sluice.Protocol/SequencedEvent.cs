namespace Sluice.Protocol;

/// <summary>An event with the position the run gave it: the SSE <c>id</c> and the JSON <c>seq</c>.</summary>
/// <param name="Seq">0, 1, 2, … per stream; strictly increasing. For a coalesced event, the last seq it covers.</param>
/// <param name="Event">The event.</param>
public readonly record struct SequencedEvent(long Seq, StreamEvent Event)
{
    /// <summary>
    /// The first seq this event covers: <see cref="Seq"/>, except for a coalesced event (consecutive <c>token</c>,
    /// <c>reasoning</c> or one call's <c>tool_call_delta</c> events joined into one for a reader that lags), which
    /// covers <c>FirstSeq</c> through <see cref="Seq"/>. On the wire: the <c>from</c> property.
    /// </summary>
    public long FirstSeq { get; init; } = Seq;
}
