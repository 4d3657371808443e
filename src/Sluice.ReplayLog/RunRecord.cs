namespace Sluice.ReplayLog;

/// <summary>A run as any node sees it in the <see cref="IRunDirectory"/>.</summary>
/// <param name="StreamId">The run's stream id.</param>
/// <param name="OwnerNode">The id of the node that runs the upstream call.</param>
/// <param name="Owner">Who may read and cancel it.</param>
/// <param name="Head">The seq of the last event in its log when it was looked up (-1 before <c>start</c>).</param>
/// <param name="IsComplete">Whether its log had its terminal event when it was looked up.</param>
public sealed record RunRecord(string StreamId, string OwnerNode, RunOwnerRecord Owner, long Head, bool IsComplete);
