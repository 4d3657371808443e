namespace Sluice.Providers;

/// <summary>How a gateway treats a slow or failing provider; bound from <c>Sluice:Upstream</c>.</summary>
public sealed record UpstreamOptions
{
    /// <summary>The defaults: a 60 s stall timeout, no retries.</summary>
    public static UpstreamOptions Default { get; } = new();

    /// <summary>
    /// How long the provider may send nothing (no event, no ping) before the call is aborted and the stream ends with
    /// <c>upstream_timeout</c>. Default 60 s: providers that think for long send keep-alive pings well within it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan StallTimeout
    {
        get;
        init => field = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(StallTimeout), value, "Must be positive.");
    } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How many times to call the provider when a call fails with a retryable error before its first event. Default 1
    /// (no retry). A failure after the first event is never retried: the client would see the answer twice.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int MaxAttempts
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxAttempts), value, "Must be at least 1.");
    } = 1;

    /// <summary>The wait before the first retry; it doubles each time, with ±20% jitter. Default 1 s.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public TimeSpan InitialBackoff
    {
        get;
        init => field = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(InitialBackoff), value, "Must not be negative.");
    } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between attempts, the provider's <c>retry-after</c> included. Default 30 s.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public TimeSpan MaxBackoff
    {
        get;
        init => field = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(MaxBackoff), value, "Must not be negative.");
    } = TimeSpan.FromSeconds(30);
}
