namespace Sluice.AspNetCore;

/// <summary>How runs respond to readers that fall behind; bound from <c>Sluice:Backpressure</c>.</summary>
public sealed record BackpressureOptions
{
    /// <summary>The defaults.</summary>
    public static BackpressureOptions Default { get; } = new();

    /// <summary>Keep reading the provider (the default), or pause it for the slowest reader.</summary>
    public BackpressurePolicy Policy { get; init; } = BackpressurePolicy.Continue;

    /// <summary>
    /// With <see cref="BackpressurePolicy.Pause"/>: how many events the slowest attached reader may be behind the run's
    /// head before the run stops reading the provider; it reads on once that reader is within half of this. Default 512,
    /// well inside the replay log's window (4 096 events), so a paused run's readers never need a snapshot.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Below 2.</exception>
    public int MaxLag
    {
        get;
        init => field = value >= 2 ? value : throw new ArgumentOutOfRangeException(nameof(MaxLag), value, "Must be at least 2.");
    } = 512;

    /// <summary>
    /// Whether consecutive fragments already in the log when a reader reads (tokens, reasoning, one call's argument
    /// fragments) go out as one coalesced event covering their seqs (PROTOCOL.md, "Coalesced events"), so a reader
    /// that lags catches up in few frames. Default <see langword="true"/>; a reader that keeps up gets one event per
    /// frame either way.
    /// </summary>
    public bool CoalesceLaggingReaders { get; init; } = true;
}
