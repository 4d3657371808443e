namespace Sluice.Client;

/// <summary>
/// The gateway no longer has the stream (404 on resume): its retention ended, or the gateway restarted and lost its
/// in-memory log. What was received so far stays valid; the rest cannot be had, only a new stream.
/// </summary>
public sealed class SluiceStreamLostException : SluiceException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="streamId">The stream that is gone.</param>
    /// <param name="lastSeq">The seq of the last event received (-1 for none).</param>
    public SluiceStreamLostException(string streamId, long lastSeq)
        : base($"The gateway no longer has stream '{streamId}' (404 on resume after seq {lastSeq}): its retention ended, or the gateway restarted and lost it.")
    {
        StreamId = streamId;
        LastSeq = lastSeq;
    }

    /// <summary>The stream that is gone.</summary>
    public string StreamId { get; }

    /// <summary>The seq of the last event received before it was lost (-1 for none).</summary>
    public long LastSeq { get; }

    /// <inheritdoc />
    public override string Code => "stream_lost";

    /// <inheritdoc />
    public override bool Retryable => true;
}
