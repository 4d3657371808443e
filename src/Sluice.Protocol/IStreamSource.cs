namespace Sluice.Protocol;

/// <summary>A model provider as a run sees it: a request in, an ordered stream of events out.</summary>
/// <remarks>
/// <para>
/// The source yields content events (<see cref="TokenEvent"/>, <see cref="ReasoningEvent"/>, tool-call events,
/// <see cref="ObjectEvent"/>) and ends with one terminal event: <see cref="DoneEvent"/> with the finish reason and
/// usage, or <see cref="ErrorEvent"/> for a failure the provider reported mid-stream. The run writes
/// <see cref="StartEvent"/> itself and assigns every seq. An enumeration that ends without a terminal event is
/// treated as <c>done</c> with <see cref="FinishReason.Stop"/>; an exception is turned into an <c>error</c> event.
/// </para>
/// <para>
/// The <see cref="CancellationToken"/> passed to <see cref="StreamAsync"/> is the run's own: it fires when the run is
/// cancelled, never merely because a reader disconnected. A source must stop its upstream call when it fires.
/// Implementations must be safe to call concurrently for different requests.
/// </para>
/// </remarks>
public interface IStreamSource
{
    /// <summary>The model named in <c>start</c> when the request names none.</summary>
    string DefaultModel { get; }

    /// <summary>Starts a generation and streams its events.</summary>
    /// <param name="request">The validated request.</param>
    /// <param name="cancellationToken">Cancels the upstream call.</param>
    /// <returns>The events, as the provider produces them.</returns>
    IAsyncEnumerable<StreamEvent> StreamAsync(StreamRequest request, CancellationToken cancellationToken = default);
}
