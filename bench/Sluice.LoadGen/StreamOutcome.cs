namespace Sluice.LoadGen;

/// <summary>What one stream did, in <see cref="System.Diagnostics.Stopwatch"/> ticks.</summary>
internal sealed class StreamOutcome
{
    public long TimeToFirstEvent { get; set; } = -1;

    public List<long> Gaps { get; } = [];

    /// <summary>The model's events delivered: a coalesced frame counts for every event it covers.</summary>
    public int Events { get; set; }

    /// <summary>SSE frames received (fewer than <see cref="Events"/> when the server coalesced).</summary>
    public int Frames { get; set; }

    public long Bytes { get; set; }

    public bool Terminal { get; set; }

    public string? Failure { get; set; }

    public string? Text { get; set; }
}
