namespace Sluice.ReplayLog;

/// <summary>Per-stream bounds of a replay log; bound from the <c>Sluice:Log</c> configuration section.</summary>
/// <remarks>
/// Past either bound the oldest events are evicted (folded into the stream's compacted state, which a late reader
/// receives as one snapshot). The newest event is never evicted. The bounds cover the events held, not the compacted
/// state: that is the answer so far (about 2 bytes per character), which a snapshot must be able to carry whole.
/// </remarks>
public sealed record ReplayLogOptions
{
    /// <summary>The defaults: 4096 events and 1 MiB per stream.</summary>
    public static ReplayLogOptions Default { get; } = new();

    /// <summary>The most events a stream's log holds. Default 4096 (a minute at 60 tokens/s is 3600).</summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int MaxEventsPerStream
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxEventsPerStream), value, "Must be at least 1.");
    } = 4096;

    /// <summary>
    /// The most bytes a stream's held events may take, as estimated by <see cref="EventSize.Estimate"/>. Default 1 MiB.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public long MaxBytesPerStream
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxBytesPerStream), value, "Must be at least 1.");
    } = 1024 * 1024;
}
