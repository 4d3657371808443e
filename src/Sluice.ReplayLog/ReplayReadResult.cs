namespace Sluice.ReplayLog;

/// <summary>What <see cref="IReplayLog.ReadAsync"/> found.</summary>
/// <param name="Found">Whether the stream exists.</param>
/// <param name="Count">How many elements were written to the destination.</param>
/// <param name="StartsWithSnapshot">Whether the first element written is a snapshot standing in for evicted events.</param>
/// <param name="Head">The seq of the last event appended; -1 when none.</param>
/// <param name="IsComplete">Whether the terminal event has been appended (no more events will come).</param>
public readonly record struct ReplayReadResult(bool Found, int Count, bool StartsWithSnapshot, long Head, bool IsComplete)
{
    /// <summary>The result for an unknown stream.</summary>
    public static ReplayReadResult NotFound => default;
}
