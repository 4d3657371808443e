using Sluice.Protocol;

namespace Sluice.Providers;

/// <summary>Composes provider adapters with the behaviour every provider shares.</summary>
public static class StreamSourceExtensions
{
    /// <summary>
    /// Maps upstream failures the adapter throws to their <c>error</c> events, and retries a retryable failure before
    /// the first event up to <see cref="UpstreamOptions.MaxAttempts"/> times.
    /// </summary>
    /// <param name="source">The adapter.</param>
    /// <param name="options">Retry settings; <see cref="UpstreamOptions.Default"/> (no retry) when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock for backoff; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <returns>The wrapped source.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is <see langword="null"/>.</exception>
    public static IStreamSource WithUpstreamResilience(this IStreamSource source, UpstreamOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new ResilientStreamSource(source, options ?? UpstreamOptions.Default, timeProvider ?? TimeProvider.System);
    }
}
