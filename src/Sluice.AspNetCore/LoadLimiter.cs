using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Sluice.ReplayLog;

namespace Sluice.AspNetCore;

/// <summary>
/// Admits new work against <see cref="LimitOptions"/> (<c>Sluice:Limits</c>): counts the runs generating (in all and
/// per caller) and the event-stream responses open, and refuses what would pass a bound before anything starts.
/// </summary>
/// <remarks>
/// Thread-safe; a singleton per application. Slots are reserved atomically (compare-and-swap), so concurrent requests
/// never overshoot a bound. Nothing here is on the per-event path: each request takes at most one lock (per-caller
/// counts) and one read of the log's size.
/// </remarks>
internal sealed class LoadLimiter
{
    private readonly LimitOptions _limits;
    private readonly IReplayLog _log;
    private readonly SluiceMetrics _metrics;
    private readonly Lock _callersGate = new();
    private readonly Dictionary<string, int> _runsByCaller = new(StringComparer.Ordinal);
    private readonly LoadRefusal _tooManyRuns;
    private readonly LoadRefusal _tooManySubscribers;
    private readonly LoadRefusal _logsFull;
    private readonly LoadRefusal _tooManyRunsForCaller;
    private readonly LoadRefusal _shuttingDown;
    private readonly CancellationToken _stopping;
    private int _runs;
    private int _subscribers;

    public LoadLimiter(SluiceOptions options, IReplayLog log, SluiceMetrics metrics, IHostApplicationLifetime lifetime)
    {
        _stopping = lifetime.ApplicationStopping;
        _limits = options.Limits;
        _log = log;
        _metrics = metrics;
        var retryAfter = ((long)Math.Ceiling(_limits.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        _tooManyRuns = new LoadRefusal(
            StatusCodes.Status503ServiceUnavailable, "Gateway at capacity", LoadRefusal.ReasonRuns, retryAfter,
            string.Create(CultureInfo.InvariantCulture, $"The gateway is running as many streams as it may ({_limits.MaxConcurrentRuns}, Sluice:Limits:MaxConcurrentRuns); retry later."));
        _tooManySubscribers = new LoadRefusal(
            StatusCodes.Status503ServiceUnavailable, "Gateway at capacity", LoadRefusal.ReasonSubscribers, retryAfter,
            string.Create(CultureInfo.InvariantCulture, $"The gateway has as many event streams open as it may ({_limits.MaxSubscribers}, Sluice:Limits:MaxSubscribers); retry later."));
        _logsFull = new LoadRefusal(
            StatusCodes.Status503ServiceUnavailable, "Gateway at capacity", LoadRefusal.ReasonLogBytes, retryAfter,
            string.Create(CultureInfo.InvariantCulture, $"The gateway's replay logs hold their whole memory budget ({_limits.MaxLogBytes} bytes, Sluice:Limits:MaxLogBytes); retry later."));
        _tooManyRunsForCaller = new LoadRefusal(
            StatusCodes.Status429TooManyRequests, "Too many concurrent streams", LoadRefusal.ReasonRunsPerCaller, retryAfter,
            string.Create(CultureInfo.InvariantCulture, $"You have as many streams running as one caller may ({_limits.MaxRunsPerPrincipal}, Sluice:Limits:MaxRunsPerPrincipal); retry when one has finished."));
        _shuttingDown = new LoadRefusal(
            StatusCodes.Status503ServiceUnavailable, "Gateway shutting down", LoadRefusal.ReasonShuttingDown, retryAfter,
            "This gateway node is shutting down; send the request again (another node, or this one once restarted, will take it).");
        metrics.ObserveLoad(this);
    }

    /// <summary>Runs generating now (admitted and not yet finished).</summary>
    public int Runs => Volatile.Read(ref _runs);

    /// <summary>Event-stream responses open now.</summary>
    public int Subscribers => Volatile.Read(ref _subscribers);

    /// <summary>
    /// Reserves an open event-stream response; <see langword="null"/> when admitted (then <see cref="CloseSubscriber"/>
    /// once it ends). Refused while the host is stopping: a response opened then would only get the shutdown frame.
    /// </summary>
    public LoadRefusal? TryOpenSubscriber()
    {
        if (_stopping.IsCancellationRequested)
        {
            return Refuse(_shuttingDown);
        }

        if (TryIncrement(ref _subscribers, _limits.MaxSubscribers))
        {
            return null;
        }

        return Refuse(_tooManySubscribers);
    }

    public void CloseSubscriber() => Interlocked.Decrement(ref _subscribers);

    /// <summary>
    /// Reserves a run for <paramref name="callerKey"/> (see <see cref="RunOwner.CallerKey"/>; <see langword="null"/>
    /// for a caller that cannot be told apart, which only the global bounds apply to). <see langword="null"/> when
    /// admitted: then <see cref="EndRun"/> with the same key once the run has finished.
    /// </summary>
    public LoadRefusal? TryStartRun(string? callerKey)
    {
        if (_limits.MaxLogBytes is { } maxLogBytes && _log.HeldBytes >= maxLogBytes)
        {
            return Refuse(_logsFull);
        }

        if (!TryIncrement(ref _runs, _limits.MaxConcurrentRuns))
        {
            return Refuse(_tooManyRuns);
        }

        if (callerKey is null)
        {
            return null;
        }

        lock (_callersGate)
        {
            _runsByCaller.TryGetValue(callerKey, out var running);
            if (running < _limits.MaxRunsPerPrincipal.GetValueOrDefault(int.MaxValue))
            {
                _runsByCaller[callerKey] = running + 1;
                return null;
            }
        }

        Interlocked.Decrement(ref _runs);
        return Refuse(_tooManyRunsForCaller);
    }

    public void EndRun(string? callerKey)
    {
        Interlocked.Decrement(ref _runs);
        if (callerKey is null)
        {
            return;
        }

        lock (_callersGate)
        {
            // Forget callers with nothing running, so the table holds only the callers of live runs.
            var running = _runsByCaller[callerKey] - 1;
            if (running == 0)
            {
                _runsByCaller.Remove(callerKey);
            }
            else
            {
                _runsByCaller[callerKey] = running;
            }
        }
    }

    private static bool TryIncrement(ref int count, int? max)
    {
        if (max is not { } limit)
        {
            Interlocked.Increment(ref count);
            return true;
        }

        var current = Volatile.Read(ref count);
        while (current < limit)
        {
            var seen = Interlocked.CompareExchange(ref count, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    private LoadRefusal Refuse(LoadRefusal refusal)
    {
        _metrics.RequestRefused(refusal.Reason);
        return refusal;
    }
}
