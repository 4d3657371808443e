namespace Sluice.Providers;

/// <summary>The provider sent no bytes for the stall timeout; thrown from the response stream by <see cref="StallTimeoutHandler"/>.</summary>
public sealed class UpstreamStallException : TimeoutException
{
    /// <summary>Creates the exception for a stall of <paramref name="stallTimeout"/>.</summary>
    /// <param name="stallTimeout">The configured stall timeout.</param>
    public UpstreamStallException(TimeSpan stallTimeout)
        : base($"The model provider sent nothing for {stallTimeout}.") => StallTimeout = stallTimeout;

    /// <summary>The configured stall timeout.</summary>
    public TimeSpan StallTimeout { get; }
}
