namespace Sluice.TestSupport;

/// <summary>Waits until something another thread does has happened, polling briefly instead of sleeping a fixed time.</summary>
public static class Eventually
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>Polls <paramref name="condition"/> until it holds.</summary>
    /// <param name="condition">What must become true.</param>
    /// <param name="what">Says what was awaited, for the failure message.</param>
    /// <param name="cancellationToken">The test's token.</param>
    /// <exception cref="TimeoutException">It did not hold within 30 s.</exception>
    public static Task TrueAsync(Func<bool> condition, string what, CancellationToken cancellationToken) =>
        TrueAsync(() => Task.FromResult(condition()), what, cancellationToken);

    /// <summary>Polls <paramref name="condition"/> until it holds.</summary>
    /// <param name="condition">What must become true.</param>
    /// <param name="what">Says what was awaited, for the failure message.</param>
    /// <param name="cancellationToken">The test's token.</param>
    /// <exception cref="TimeoutException">It did not hold within 30 s.</exception>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(Limit);
        while (!await condition().ConfigureAwait(false))
        {
            try
            {
                await Task.Delay(5, limit.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Timed out waiting until {what}.");
            }
        }
    }
}
