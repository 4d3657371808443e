namespace Sluice.Client;

/// <summary>How long to wait before a reconnection attempt: exponential backoff with full jitter.</summary>
internal static class ReconnectBackoff
{
    /// <summary>
    /// Attempt <paramref name="attempt"/> (1, 2, …) waits <c>jitter × min(base × 2^(attempt−1), ceiling)</c>, where the
    /// ceiling is <paramref name="maxDelay"/> or the base itself if that is larger (a server's <c>retry:</c> is never
    /// cut short by the client's cap); and never less than <paramref name="retryAfter"/>, when the server sent one.
    /// </summary>
    /// <param name="attempt">The reconnection attempt, from 1.</param>
    /// <param name="baseDelay">The server's <c>retry:</c>, or the client's default until one arrives.</param>
    /// <param name="maxDelay">The client's cap on the growth.</param>
    /// <param name="jitter">A number in [0, 1].</param>
    /// <param name="retryAfter">A <c>Retry-After</c> from a 429 or 503: the least to wait.</param>
    public static TimeSpan Delay(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, double jitter, TimeSpan? retryAfter)
    {
        var ceiling = Math.Max(maxDelay.Ticks, baseDelay.Ticks);
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var cap = Math.Min(baseDelay.Ticks * Math.Pow(2, exponent), ceiling);
        var delay = TimeSpan.FromTicks((long)(cap * Math.Clamp(jitter, 0, 1)));
        return retryAfter is { } floor && floor > delay ? floor : delay;
    }
}
