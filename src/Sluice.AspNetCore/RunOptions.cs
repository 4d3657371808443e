namespace Sluice.AspNetCore;

/// <summary>How long runs live without readers and after they finish; bound from <c>Sluice:Runs</c>.</summary>
public sealed record RunOptions
{
    /// <summary>The defaults.</summary>
    public static RunOptions Default { get; } = new();

    /// <summary>
    /// How long a run whose last reader disconnected (without <c>DELETE</c>) keeps generating, waiting for a reader to
    /// re-attach; then its upstream call is cancelled. Default 30 s; zero cancels at once.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public TimeSpan DetachedGrace
    {
        get;
        init => field = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(DetachedGrace), value, "Must not be negative.");
    } = TimeSpan.FromSeconds(30);

    /// <summary>How long a finished run stays resumable before its memory is freed (then: 404). Default 5 min.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public TimeSpan Retention
    {
        get;
        init => field = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(Retention), value, "Must not be negative.");
    } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How often a <c>tool_call_delta</c> (or structured-output <c>object</c> fragment) also carries the <c>partial</c>
    /// value so far, for thin clients that do not parse fragments themselves. Default <see langword="null"/>: never
    /// (fragments stay O(n) in bandwidth; a partial value costs its whole size each time it is sent).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan? PartialValueInterval
    {
        get;
        init => field = value is null || value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(PartialValueInterval), value, "Must be positive (or null for never).");
    }
}
