namespace Sluice.AspNetCore;

/// <summary>What a run does when a reader falls behind (<c>Sluice:Backpressure:Policy</c>; README, "Backpressure").</summary>
public enum BackpressurePolicy
{
    /// <summary>
    /// The default: the run reads the provider at the provider's pace. The log absorbs the burst within its bounds; a
    /// reader that falls out of the log's window catches up by snapshot. Nobody waits for anybody.
    /// </summary>
    Continue,

    /// <summary>
    /// When the slowest attached reader is more than <see cref="BackpressureOptions.MaxLag"/> events behind, the run
    /// stops reading the provider's stream until that reader has caught up halfway, so TCP backpressure reaches the
    /// provider and the log never outruns the reader. Fits one reader per run paying for what it reads; a stalled reader
    /// holds its run until the send timeout drops it.
    /// </summary>
    Pause,
}
