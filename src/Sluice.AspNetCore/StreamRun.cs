using Microsoft.Extensions.Logging;
using Sluice.AspNetCore.Validation;
using Sluice.Protocol;
using Sluice.ReplayLog;

namespace Sluice.AspNetCore;

/// <summary>
/// One generation: owns the upstream call and its cancellation, gives every event its seq and appends it to the
/// replay log. Connections are only subscribers: they attach and detach, and never own the run.
/// </summary>
/// <remarks>
/// Thread-safe. Only the grace timer and <see cref="Cancel"/> (<c>DELETE</c>) cancel the upstream call; a reader
/// leaving does not, by itself.
/// </remarks>
internal sealed partial class StreamRun : IRunHandle, IDisposable
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _upstream = new();
    private readonly IReplayLog _log;
    private readonly TimeProvider _timeProvider;
    private readonly SluiceMetrics _metrics;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly BackpressureOptions _backpressure;
    private readonly List<RunReader> _readers = [];
    private int _remoteReaders;
    private long _head = -1;
    private TaskCompletionSource? _drained;
    private int _wantsReaderProgress; // 0 or 1; Interlocked, paired with RunReader.Advance (see WaitForSlowestReaderAsync).
    private ITimer? _graceTimer;
    private bool _cancelRequested;
    private long _completedAt;

    public StreamRun(string id, RunOwner owner, IReplayLog log, BackpressureOptions backpressure, TimeProvider timeProvider, SluiceMetrics metrics, ILogger logger)
    {
        Id = id;
        _backpressure = backpressure;
        Owner = owner;
        _log = log;
        _timeProvider = timeProvider;
        _metrics = metrics;
        _logger = logger;
    }

    public string Id { get; }

    public RunOwner Owner { get; }

    /// <summary>The seq of the last event appended (-1 before <c>start</c>): no client can hold a later one.</summary>
    public long Head => Volatile.Read(ref _head);

    /// <summary>Completes when the terminal event is in the log.</summary>
    public Task Completion => _completion.Task;

    public bool IsFinished => _completion.Task.IsCompleted;

    /// <summary>When the run finished, as a <see cref="TimeProvider"/> timestamp; meaningful once <see cref="Completion"/> has completed.</summary>
    public long CompletedAt => Volatile.Read(ref _completedAt);

    /// <summary>How many readers are attached now.</summary>
    public int Subscribers
    {
        get
        {
            lock (_gate)
            {
                return _readers.Count + _remoteReaders;
            }
        }
    }

    /// <summary>Whether the run has stopped reading the provider for its slowest reader (<see cref="BackpressurePolicy.Pause"/>).</summary>
    public bool IsPaused
    {
        get
        {
            lock (_gate)
            {
                return _drained is not null;
            }
        }
    }

    /// <summary>Whether readers should report their progress (<see cref="OnReaderProgress"/>): the run is pausing or paused.</summary>
    public bool WantsReaderProgress => Volatile.Read(ref _wantsReaderProgress) != 0;

    /// <summary>Starts the upstream call; events flow into the log from now on.</summary>
    /// <param name="source">The provider.</param>
    /// <param name="request">What to ask it.</param>
    /// <param name="resumeToken">The token a token-holder resumes with, if the run has one.</param>
    /// <param name="validator">Judges tool-call arguments and structured output on their way to the log.</param>
    public void Start(IStreamSource source, StreamRequest request, string? resumeToken, OutputValidator validator)
    {
        // The run outlives the request that starts it: it must not carry that request's ambient state (its Activity,
        // logging scopes, the HttpContext behind IHttpContextAccessor) for its whole life.
        using (ExecutionContext.SuppressFlow())
        {
            _ = PumpAsync(source, request, resumeToken, validator);
        }
    }

    /// <summary>A reader attached on this node: a pending grace expiry is called off.</summary>
    /// <param name="afterSeq">The reader's position: the seq of the last event it has.</param>
    /// <returns>The reader, to report its progress with and to detach.</returns>
    public RunReader Attach(long afterSeq)
    {
        var reader = new RunReader(this, afterSeq);
        lock (_gate)
        {
            _readers.Add(reader);
            CallOffGrace();
        }

        return reader;
    }

    /// <summary>A reader on this node left. When it was the last reader anywhere and the run goes on, the grace period starts.</summary>
    public void Detach(RunReader reader, TimeSpan grace)
    {
        bool cancelNow;
        lock (_gate)
        {
            _readers.Remove(reader);
            WakeIfDrained(); // A paused run may have been waiting for this very reader.
            cancelNow = StartGraceIfUnread(grace);
        }

        if (cancelNow)
        {
            // Outside the lock: cancelling runs the provider's cancellation callbacks synchronously.
            Cancel(RunCancellationCause.GraceExpired);
        }
    }

    /// <summary>
    /// A reader attached on another node (forwarded by the run directory): it keeps the grace period off like a local
    /// one. Its position is not known here, so it does not count for <see cref="BackpressurePolicy.Pause"/>.
    /// </summary>
    public void AttachRemote()
    {
        lock (_gate)
        {
            _remoteReaders++;
            CallOffGrace();
        }
    }

    /// <summary>A reader on another node left (forwarded by the run directory).</summary>
    public void DetachRemote(TimeSpan grace)
    {
        bool cancelNow;
        lock (_gate)
        {
            _remoteReaders = Math.Max(0, _remoteReaders - 1); // Notices are best effort: never below zero.
            cancelNow = StartGraceIfUnread(grace);
        }

        if (cancelNow)
        {
            Cancel(RunCancellationCause.GraceExpired);
        }
    }

    /// <summary>Cancels the upstream call; the run ends with <c>done</c> and finish reason <c>cancelled</c>. Idempotent.</summary>
    /// <returns>False when the run had already finished or been cancelled.</returns>
    public bool Cancel(RunCancellationCause cause)
    {
        lock (_gate)
        {
            if (IsFinished || _cancelRequested)
            {
                return false;
            }

            _cancelRequested = true;
        }

        _metrics.RunCancelled(cause);
        _upstream.Cancel();
        return true;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _graceTimer?.Dispose();
        }

        _upstream.Dispose();
    }

    /// <remarks>Under <see cref="_gate"/>.</remarks>
    private void CallOffGrace()
    {
        _graceTimer?.Dispose();
        _graceTimer = null;
    }

    /// <summary>When nobody reads the running run any more, starts the grace timer.</summary>
    /// <returns>True when the grace is zero: the caller cancels the run at once (outside the lock).</returns>
    /// <remarks>Under <see cref="_gate"/>.</remarks>
    private bool StartGraceIfUnread(TimeSpan grace)
    {
        if (_readers.Count + _remoteReaders > 0 || IsFinished)
        {
            return false;
        }

        if (grace <= TimeSpan.Zero)
        {
            return true;
        }

        _graceTimer?.Dispose();
        _graceTimer = _timeProvider.CreateTimer(static state => ((StreamRun)state!).OnGraceExpired(), this, grace, Timeout.InfiniteTimeSpan);
        return false;
    }

    private void OnGraceExpired()
    {
        lock (_gate)
        {
            // A reader may have attached between the timer firing and this lock; it wins.
            if (_readers.Count + _remoteReaders > 0)
            {
                return;
            }
        }

        Cancel(RunCancellationCause.GraceExpired);
    }

    /// <remarks>
    /// 1. Append <c>start</c>.
    /// 2. Relay the source's events until its terminal event, a failure or a cancellation (<see cref="RelayAsync"/>),
    ///    each through the validator.
    /// 3. Append what the validator closes (open tool calls, the final structured output), then the terminal event; if the log refused an event on the way, end with an <c>error</c> instead, so
    ///    readers are never left waiting for a stream that silently stopped.
    /// </remarks>
    private async Task PumpAsync(IStreamSource source, StreamRequest request, string? resumeToken, OutputValidator validator)
    {
        // Yield first so that Start returns before the provider runs any synchronous prefix.
        await Task.Yield();
        StreamEvent terminal;
        try
        {
            await AppendAsync(new StartEvent(Id, request.Model ?? source.DefaultModel, resumeToken));
            terminal = await RelayAsync(source, request, validator, _upstream.Token);
            foreach (var closing in validator.Close(terminal))
            {
                await AppendAsync(closing);
            }
        }
#pragma warning disable CA1031 // Whatever the log refused, readers must still get a terminal event.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.LogFailed(_logger, ex, Id);
            terminal = ex is ReplayLogUnavailableException
                ? new ErrorEvent("replay_log_unavailable", "The replay log became unreachable; the stream was stopped.", Retryable: true)
                : new ErrorEvent("internal_error", "The stream could not be recorded.", Retryable: true);
        }

        try
        {
            await AppendAsync(terminal);
        }
#pragma warning disable CA1031 // The log is gone (removed, or unreachable): nothing more can reach readers.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.LogFailed(_logger, ex, Id);
        }
        finally
        {
            Volatile.Write(ref _completedAt, _timeProvider.GetTimestamp());
            _completion.TrySetResult();
        }
    }

    /// <summary>Appends the source's content events; returns the terminal event to end the stream with.</summary>
    /// <exception cref="Exception">Only from the log: every failure of the source becomes the returned terminal event.</exception>
    private async Task<StreamEvent> RelayAsync(IStreamSource source, StreamRequest request, OutputValidator validator, CancellationToken token)
    {
        var enumerator = source.StreamAsync(request, token).GetAsyncEnumerator(token);
        try
        {
            while (true)
            {
                StreamEvent evt;
                try
                {
                    if (_backpressure.Policy == BackpressurePolicy.Pause)
                    {
                        await WaitForSlowestReaderAsync(token);
                    }

                    if (!await enumerator.MoveNextAsync())
                    {
                        token.ThrowIfCancellationRequested();
                        return new DoneEvent(FinishReason.Stop, Usage.Zero);
                    }

                    evt = enumerator.Current;
                }
                catch (OperationCanceledException) when (token.IsCancellationRequested)
                {
                    return new DoneEvent(FinishReason.Cancelled, Usage.Zero);
                }
#pragma warning disable CA1031 // Any provider failure must end the stream with an error event, never a silent cut.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Log.ProviderFailed(_logger, ex, Id);
                    return new ErrorEvent("provider_error", "The model provider failed while streaming.", Retryable: true);
                }

                if (evt.IsTerminal)
                {
                    return evt;
                }

                if (evt is StartEvent || validator.Process(evt) is not { } recorded)
                {
                    continue; // The run writes start (and the final object) itself.
                }

                try
                {
                    await AppendAsync(recorded);
                }
                catch
                {
                    // Nobody will read the rest: stop the upstream call rather than leave it burning credits.
                    await _upstream.CancelAsync();
                    throw;
                }
            }
        }
        finally
        {
            await DisposeQuietlyAsync(enumerator);
        }
    }

    /// <summary>A reader moved on while the run is paused: the run reads on once the slowest is within half the bound.</summary>
    public void OnReaderProgress()
    {
        lock (_gate)
        {
            WakeIfDrained();
        }
    }

    /// <summary>
    /// <see cref="BackpressurePolicy.Pause"/>: returns at once while the slowest attached reader is within
    /// <see cref="BackpressureOptions.MaxLag"/> of the head; otherwise waits (not reading the provider, so its writes
    /// back up into TCP) until that reader is within half the bound, it detaches, or the run is cancelled.
    /// </summary>
    private async ValueTask WaitForSlowestReaderAsync(CancellationToken token)
    {
        Task drained;
        lock (_gate)
        {
            // Flag first, then look at the positions (both with full fences): a reader moving on at the same moment either
            // is seen here, or sees the flag and wakes the run through OnReaderProgress once this lock is released.
            Interlocked.Exchange(ref _wantsReaderProgress, 1);
            if (Volatile.Read(ref _head) - SlowestPosition() <= _backpressure.MaxLag)
            {
                Interlocked.Exchange(ref _wantsReaderProgress, 0);
                return;
            }

            _drained = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            drained = _drained.Task;
            _metrics.RunPaused(); // Under the lock: whoever sees the run paused sees it counted.
        }

        try
        {
            await drained.WaitAsync(token); // Cancelled (DELETE, grace) while paused: the run ends as cancelled.
        }
        finally
        {
            lock (_gate)
            {
                _drained = null;
                Interlocked.Exchange(ref _wantsReaderProgress, 0);
            }
        }
    }

    /// <remarks>Under <see cref="_gate"/>.</remarks>
    private void WakeIfDrained()
    {
        if (_drained is { } drained && Volatile.Read(ref _head) - SlowestPosition() <= _backpressure.MaxLag / 2)
        {
            _drained = null;
            drained.TrySetResult();
        }
    }

    /// <remarks>Under <see cref="_gate"/>. With no reader attached nobody is behind: <see cref="long.MaxValue"/>.</remarks>
    private long SlowestPosition()
    {
        var slowest = long.MaxValue;
        foreach (var reader in _readers)
        {
            slowest = Math.Min(slowest, reader.Position);
        }

        return slowest;
    }

    private async ValueTask DisposeQuietlyAsync(IAsyncEnumerator<StreamEvent> enumerator)
    {
        try
        {
            await enumerator.DisposeAsync();
        }
#pragma warning disable CA1031 // A source failing to clean up must not turn a finished stream into a failed one.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ProviderFailed(_logger, ex, Id);
        }
    }

    private async ValueTask AppendAsync(StreamEvent evt)
    {
        // The pump is the only writer. Head moves before the append so that it is never behind an event a reader may
        // already hold (a resume at the head is valid), and moves back if the log refuses the event.
        var seq = _head + 1;
        Volatile.Write(ref _head, seq);
        try
        {
            await _log.AppendAsync(Id, new SequencedEvent(seq, evt), CancellationToken.None);
        }
        catch
        {
            Volatile.Write(ref _head, seq - 1);
            throw;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Stream {StreamId}: the provider failed.")]
        public static partial void ProviderFailed(ILogger logger, Exception exception, string streamId);

        [LoggerMessage(2, LogLevel.Error, "Stream {StreamId}: the replay log refused an event; the stream ends here.")]
        public static partial void LogFailed(ILogger logger, Exception exception, string streamId);
    }
}
