namespace Sluice.AspNetCore;

/// <summary>
/// A run as the endpoints use it, wherever it runs: <see cref="StreamRun"/> on the node that owns it, or
/// <see cref="RemoteRun"/> on any other node sharing the log (the owner then acts on what this node forwards).
/// </summary>
internal interface IRunHandle
{
    /// <summary>The stream id.</summary>
    string Id { get; }

    /// <summary>Who may read and cancel the run.</summary>
    RunOwner Owner { get; }

    /// <summary>The seq of the last event appended (-1 before <c>start</c>): no client can hold a later one.</summary>
    long Head { get; }

    /// <summary>Whether the terminal event is in the log.</summary>
    bool IsFinished { get; }

    /// <summary>A reader attached: a pending grace expiry is called off.</summary>
    /// <param name="afterSeq">The reader's position: the seq of the last event it has.</param>
    /// <returns>The reader, to report its progress with and to detach.</returns>
    RunReader Attach(long afterSeq);

    /// <summary>A reader left. When it was the last and the run is still going, the grace period starts.</summary>
    void Detach(RunReader reader, TimeSpan grace);

    /// <summary>Cancels the upstream call; the run ends with <c>done</c> and finish reason <c>cancelled</c>. Idempotent.</summary>
    /// <returns>False when the run had already finished or been cancelled (as far as this node knows).</returns>
    bool Cancel(RunCancellationCause cause);
}
