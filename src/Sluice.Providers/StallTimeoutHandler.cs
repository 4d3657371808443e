namespace Sluice.Providers;

/// <summary>
/// An HTTP handler for the provider's client that aborts a response whose body sends no bytes for the stall timeout:
/// the read fails with <see cref="UpstreamStallException"/> (an <c>upstream_timeout</c> error) and the connection is
/// closed, so the provider stops generating too.
/// </summary>
/// <remarks>
/// Bytes, not events, are what count: a provider that sends keep-alive pings while it thinks is alive. Put it in the
/// HttpClient given to the provider SDK. Thread-safe.
/// </remarks>
public sealed class StallTimeoutHandler : DelegatingHandler
{
    private readonly TimeSpan _stallTimeout;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates the handler.</summary>
    /// <param name="stallTimeout">How long the body may send nothing.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stallTimeout"/> is not positive.</exception>
    public StallTimeoutHandler(TimeSpan stallTimeout, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(stallTimeout, TimeSpan.Zero);
        _stallTimeout = stallTimeout;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The wait for the response headers is bounded the same way: time to first byte is a stall too.
        using var headersTimeout = new CancellationTokenSource(_stallTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, headersTimeout.Token);
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (headersTimeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new UpstreamStallException(_stallTimeout);
        }

        response.Content = new StallDetectingContent(response.Content, _stallTimeout, _timeProvider);
        return response;
    }
}
