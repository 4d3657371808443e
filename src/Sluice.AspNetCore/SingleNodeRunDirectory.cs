using Sluice.ReplayLog;

namespace Sluice.AspNetCore;

/// <summary>
/// The directory of a gateway that runs alone (the in-memory log): every run is this node's, so there is nothing to
/// record, find or forward.
/// </summary>
internal sealed class SingleNodeRunDirectory : IRunDirectory
{
    public string NodeId => "local";

    public ValueTask RegisterAsync(string streamId, RunOwnerRecord owner, Action<RunNotice> onNotice, CancellationToken cancellationToken = default) =>
        ValueTask.CompletedTask;

    public void Release(string streamId)
    {
    }

    public ValueTask<RunRecord?> FindAsync(string streamId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<RunRecord?>(null);

    public void Notify(RunRecord run, RunNotice notice)
    {
    }
}
