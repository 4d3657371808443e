namespace Sluice.ReplayLog;

/// <summary>
/// Where the runs of several gateway nodes meet: which node owns a run and who may read it, a lease that tells whether
/// that node is still alive, and notices (cancel, reader attached or detached) sent to the owner from any node.
/// </summary>
/// <remarks>
/// <para>
/// The node that accepts a <c>POST</c> runs the upstream call and registers the run here; a node asked about a run it
/// does not own finds it here and forwards what the owner must act on. Implementations: none for one node (the host
/// then knows only its own runs), Redis for several (<c>AddSluiceRedisRunDirectory</c>).
/// </para>
/// <para>
/// Notices are best effort (a node that is unreachable at that moment misses them); the owner's lease is what
/// guarantees readers an end: when it lapses while the run's log has no terminal event, the directory ends the log
/// with an <c>error</c> event (<c>producer_lost</c>, retryable), once, for every reader on every node.
/// </para>
/// <para>All members are thread-safe.</para>
/// </remarks>
public interface IRunDirectory
{
    /// <summary>This node's id, as other nodes address it.</summary>
    string NodeId { get; }

    /// <summary>
    /// Records a run this node has just created (its log exists) and owns, takes its lease and keeps renewing it until
    /// <see cref="Release"/>.
    /// </summary>
    /// <param name="streamId">The run's stream id.</param>
    /// <param name="owner">Who may read and cancel it.</param>
    /// <param name="onNotice">Called (on any thread) for each notice another node sends about this run.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="ReplayLogUnavailableException">The directory's store cannot be reached.</exception>
    ValueTask RegisterAsync(string streamId, RunOwnerRecord owner, Action<RunNotice> onNotice, CancellationToken cancellationToken = default);

    /// <summary>The run finished on this node: stop renewing its lease and stop listening for its notices.</summary>
    /// <param name="streamId">The run's stream id.</param>
    void Release(string streamId);

    /// <summary>Looks a run up, wherever it runs.</summary>
    /// <param name="streamId">The run's stream id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The run, or <see langword="null"/> when no node has it (unknown, or its retention ended).</returns>
    /// <exception cref="ReplayLogUnavailableException">The directory's store cannot be reached.</exception>
    ValueTask<RunRecord?> FindAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends a notice to the run's owner node, without waiting (best effort). On this node, a reader attached to a run
    /// of another node also makes the directory watch that node's lease for it until it detaches.
    /// </summary>
    /// <param name="run">The run, as <see cref="FindAsync"/> returned it.</param>
    /// <param name="notice">What the owner should do.</param>
    void Notify(RunRecord run, RunNotice notice);
}
