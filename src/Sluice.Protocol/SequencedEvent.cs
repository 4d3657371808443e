namespace Sluice.Protocol;

/// <summary>An event with the position the run gave it: the SSE <c>id</c> and the JSON <c>seq</c>.</summary>
/// <param name="Seq">0, 1, 2, … per stream; strictly increasing.</param>
/// <param name="Event">The event.</param>
public readonly record struct SequencedEvent(long Seq, StreamEvent Event);
