namespace Sluice.ReplayLog;

/// <summary>
/// The store behind a replay log could not serve the operation: it is unreachable, timed out, or refused to work (for
/// instance a Redis server that is down, loading or out of memory). Retrying later may succeed.
/// </summary>
/// <remarks>
/// Thrown (as a faulted task) by implementations of <see cref="IReplayLog"/> that keep the log outside the process,
/// never for the contract's own failures (an unknown stream, an out-of-order seq), so a host can answer it with
/// <c>503 Service Unavailable</c>. <see cref="Exception.InnerException"/> holds the store client's own exception.
/// </remarks>
public sealed class ReplayLogUnavailableException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public ReplayLogUnavailableException()
        : base("The replay log's store is unavailable.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public ReplayLogUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the store client's exception.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The store client's exception.</param>
    public ReplayLogUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
