namespace Sluice.Providers.Simulated;

/// <summary>Spaces one request's events out in time like a model generating tokens.</summary>
/// <remarks>Not thread-safe: one pacer per request, seeded so that the request's timing is reproducible.</remarks>
internal sealed class TokenPacer
{
    private readonly SimulatedOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly Random _random;

    public TokenPacer(SimulatedOptions options, TimeProvider timeProvider, int seed)
    {
        _options = options;
        _timeProvider = timeProvider;
        _random = new Random(seed);
    }

    /// <summary>Waits out the time to first token.</summary>
    public Task BeforeFirstAsync(CancellationToken cancellationToken) =>
        _options.TokensPerSecond == 0 || _options.FirstTokenDelayMs == 0
            ? NoDelayAsync(cancellationToken)
            : Task.Delay(TimeSpan.FromMilliseconds(_options.FirstTokenDelayMs), _timeProvider, cancellationToken);

    /// <summary>Waits as long as generating <paramref name="tokenCount"/> tokens takes, with jitter.</summary>
    public Task BeforeNextAsync(int tokenCount, CancellationToken cancellationToken)
    {
        if (_options.TokensPerSecond == 0 || tokenCount == 0)
        {
            return NoDelayAsync(cancellationToken);
        }

        var delay = NextDelay(tokenCount);
        return delay <= TimeSpan.Zero ? NoDelayAsync(cancellationToken) : Task.Delay(delay, _timeProvider, cancellationToken);
    }

    /// <summary>
    /// The time <paramref name="tokenCount"/> tokens take: 1/TokensPerSecond each, scaled by one factor in
    /// [1 − Jitter, 1 + Jitter]. Advances the random sequence. Requires TokensPerSecond &gt; 0.
    /// </summary>
    public TimeSpan NextDelay(int tokenCount)
    {
        var factor = 1 + (_options.Jitter * ((2 * _random.NextDouble()) - 1));
        return TimeSpan.FromSeconds(tokenCount * factor / _options.TokensPerSecond);
    }

    // Without a delay nothing would observe the token, and a cancelled run must still stop promptly.
    private static Task NoDelayAsync(CancellationToken cancellationToken) =>
        cancellationToken.IsCancellationRequested ? Task.FromCanceled(cancellationToken) : Task.CompletedTask;
}
