using Sluice.Protocol;

namespace Sluice.Client;

/// <summary>
/// The base of the client's own failures (the gateway refused a request, the stream is gone, reconnecting failed).
/// An <c>error</c> event is not one of them: it is the stream's normal end, yielded like any other event.
/// </summary>
public abstract class SluiceException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, for people.</param>
    /// <param name="innerException">The cause, if any.</param>
    protected SluiceException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>A stable machine-readable code, in the manner of an <c>error</c> event's (e.g. <c>stream_lost</c>).</summary>
    public abstract string Code { get; }

    /// <summary>Whether starting the stream again may succeed.</summary>
    public abstract bool Retryable { get; }

    /// <summary>The failure as an <see cref="ErrorEvent"/>, e.g. for <see cref="MessageState.Fail"/>.</summary>
    /// <returns>An error event with <see cref="Code"/>, the message and <see cref="Retryable"/>.</returns>
    public ErrorEvent ToErrorEvent() => new(Code, Message, Retryable);
}
