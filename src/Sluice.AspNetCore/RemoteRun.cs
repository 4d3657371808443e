using Sluice.ReplayLog;

namespace Sluice.AspNetCore;

/// <summary>
/// A run that another node owns, seen from this one: readers here read its shared log, and what the owner must act on
/// (a cancel, readers attaching and leaving) is forwarded to it through the <see cref="IRunDirectory"/>.
/// </summary>
/// <remarks>
/// <see cref="Head"/> and <see cref="IsFinished"/> are as of the lookup (one per request); the log is the truth after
/// that. Forwarding is best effort: the owner's lease, not these notices, guarantees readers an end.
/// </remarks>
internal sealed class RemoteRun(RunRecord record, IRunDirectory directory) : IRunHandle
{
    public string Id => record.StreamId;

    public RunOwner Owner { get; } = RunOwner.FromRecord(record.Owner);

    public long Head => record.Head;

    public bool IsFinished => record.IsComplete;

    /// <remarks>The owner counts the reader (its grace stays off); the position stays here, as backpressure is the owner's own readers' affair.</remarks>
    public RunReader Attach(long afterSeq)
    {
        directory.Notify(record, RunNotice.Attach);
        return new RunReader(run: null, afterSeq);
    }

    /// <remarks>The owner applies its own grace period; the one given here is this node's and is not forwarded.</remarks>
    public void Detach(RunReader reader, TimeSpan grace) => directory.Notify(record, RunNotice.Detach);

    public bool Cancel(RunCancellationCause cause)
    {
        if (record.IsComplete)
        {
            return false;
        }

        directory.Notify(record, RunNotice.Cancel);
        return true;
    }
}
