using System.Diagnostics.Metrics;

namespace Sluice.AspNetCore;

/// <summary>The counters of the <c>Sluice</c> meter (see docs/PROTOCOL.md, "Metrics").</summary>
internal sealed class SluiceMetrics
{
    public const string MeterName = "Sluice";

    private readonly Counter<long> _runsStarted;
    private readonly Counter<long> _runsResumed;
    private readonly Counter<long> _snapshotsSent;
    private readonly Counter<long> _runsCancelled;

    public SluiceMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _runsStarted = meter.CreateCounter<long>("sluice.runs.started", "{run}", "Runs started by POST.");
        _runsResumed = meter.CreateCounter<long>("sluice.runs.resumed", "{request}", "Resume requests served (GET of an existing run).");
        _snapshotsSent = meter.CreateCounter<long>("sluice.snapshots.sent", "{snapshot}", "Snapshots sent in place of evicted events.");
        _runsCancelled = meter.CreateCounter<long>("sluice.runs.cancelled", "{run}", "Runs whose upstream call was cancelled, by cause.");
    }

    public void RunStarted() => _runsStarted.Add(1);

    public void RunResumed() => _runsResumed.Add(1);

    public void SnapshotSent() => _snapshotsSent.Add(1);

    public void RunCancelled(RunCancellationCause cause) =>
        _runsCancelled.Add(1, new KeyValuePair<string, object?>("cause", cause switch
        {
            RunCancellationCause.Deleted => "deleted",
            RunCancellationCause.GraceExpired => "grace_expired",
            _ => "other",
        }));
}
