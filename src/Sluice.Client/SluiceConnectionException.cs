namespace Sluice.Client;

/// <summary>
/// The stream could not be (re)connected: <see cref="SluiceClientOptions.MaxReconnectAttempts"/> attempts in a row
/// brought nothing new, or starting it failed in a way that cannot be repeated safely. The last cause is the
/// <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class SluiceConnectionException : SluiceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, for people.</param>
    /// <param name="streamId">The stream, when the gateway had named it.</param>
    /// <param name="lastSeq">The seq of the last event received (-1 for none).</param>
    /// <param name="attempts">How many connection attempts in a row failed.</param>
    /// <param name="innerException">The last attempt's failure.</param>
    public SluiceConnectionException(string message, string? streamId, long lastSeq, int attempts, Exception? innerException)
        : base(message, innerException)
    {
        StreamId = streamId;
        LastSeq = lastSeq;
        Attempts = attempts;
    }

    /// <summary>The stream, when the gateway had named it (it may still be resumed later with its resume token).</summary>
    public string? StreamId { get; }

    /// <summary>The seq of the last event received (-1 for none).</summary>
    public long LastSeq { get; }

    /// <summary>How many connection attempts in a row failed.</summary>
    public int Attempts { get; }

    /// <inheritdoc />
    public override string Code => "connection_failed";

    /// <inheritdoc />
    public override bool Retryable => true;
}
