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
    private readonly Counter<long> _requestsRefused;
    private readonly Counter<long> _runsPaused;
    private readonly Counter<long> _sendTimeouts;
    private readonly Meter _meter;

    public SluiceMetrics(IMeterFactory meterFactory)
    {
        var meter = _meter = meterFactory.Create(MeterName);
        _runsStarted = meter.CreateCounter<long>("sluice.runs.started", "{run}", "Runs started by POST.");
        _runsResumed = meter.CreateCounter<long>("sluice.runs.resumed", "{request}", "Resume requests served (GET of an existing run).");
        _snapshotsSent = meter.CreateCounter<long>("sluice.snapshots.sent", "{snapshot}", "Snapshots sent in place of evicted events.");
        _runsCancelled = meter.CreateCounter<long>("sluice.runs.cancelled", "{run}", "Runs whose upstream call was cancelled, by cause.");
        _runsPaused = meter.CreateCounter<long>("sluice.runs.paused", "{pause}", "Times a run stopped reading its provider for a reader that lagged (Sluice:Backpressure:Policy = Pause).");
        _sendTimeouts = meter.CreateCounter<long>("sluice.subscribers.send_timeouts", "{response}", "Readers disconnected because they accepted no bytes for Sluice:SendTimeout.");
        _requestsRefused = meter.CreateCounter<long>("sluice.requests.refused", "{request}", "Requests refused at a bound of Sluice:Limits (503/429), by the bound.");
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

    public void RunPaused() => _runsPaused.Add(1);

    public void SendTimedOut() => _sendTimeouts.Add(1);

    /// <summary>A request refused at a bound; <paramref name="reason"/> is one of the <see cref="LoadRefusal"/> reasons.</summary>
    public void RequestRefused(string reason) => _requestsRefused.Add(1, new KeyValuePair<string, object?>("reason", reason));

    /// <summary>Reports the limiter's counts as up-down counters: runs generating and event streams open.</summary>
    public void ObserveLoad(LoadLimiter limiter)
    {
        _meter.CreateObservableUpDownCounter("sluice.runs.active", () => limiter.Runs, "{run}", "Runs generating now (admitted, not finished).");
        _meter.CreateObservableUpDownCounter("sluice.subscribers.open", () => limiter.Subscribers, "{response}", "Event-stream responses open now.");
    }
}
