using Microsoft.Extensions.Logging;
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
internal sealed partial class StreamRun : IDisposable
{
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _upstream = new();
    private readonly IReplayLog _log;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _head = -1;
    private int _subscribers;
    private ITimer? _graceTimer;
    private RunCancellationCause? _cancelCause;

    public StreamRun(string id, RunOwner owner, IReplayLog log, TimeProvider timeProvider, ILogger logger)
    {
        Id = id;
        Owner = owner;
        _log = log;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public string Id { get; }

    public RunOwner Owner { get; }

    /// <summary>The seq of the last event appended (-1 before <c>start</c>): no client can hold a later one.</summary>
    public long Head => Volatile.Read(ref _head);

    /// <summary>Completes when the terminal event is in the log.</summary>
    public Task Completion => _completion.Task;

    public bool IsFinished => _completion.Task.IsCompleted;

    /// <summary>How many readers are attached now.</summary>
    public int Subscribers
    {
        get
        {
            lock (_gate)
            {
                return _subscribers;
            }
        }
    }

    /// <summary>Raised once when the upstream call is cancelled, with the cause.</summary>
    public event Action<StreamRun, RunCancellationCause>? Cancelled;

    /// <summary>Starts the upstream call; events flow into the log from now on.</summary>
    public void Start(IStreamSource source, StreamRequest request, string? resumeToken) => _ = PumpAsync(source, request, resumeToken);

    /// <summary>A reader attached: a pending grace expiry is called off.</summary>
    public void Attach()
    {
        lock (_gate)
        {
            _subscribers++;
            _graceTimer?.Dispose();
            _graceTimer = null;
        }
    }

    /// <summary>A reader left. When it was the last and the run is still going, the grace period starts.</summary>
    public void Detach(TimeSpan grace)
    {
        lock (_gate)
        {
            if (--_subscribers > 0 || IsFinished)
            {
                return;
            }

            if (grace > TimeSpan.Zero)
            {
                _graceTimer?.Dispose();
                _graceTimer = _timeProvider.CreateTimer(static state => ((StreamRun)state!).OnGraceExpired(), this, grace, Timeout.InfiniteTimeSpan);
                return;
            }
        }

        // Outside the lock: cancelling runs the provider's cancellation callbacks synchronously.
        Cancel(RunCancellationCause.GraceExpired);
    }

    /// <summary>Cancels the upstream call; the run ends with <c>done</c> and finish reason <c>cancelled</c>. Idempotent.</summary>
    /// <returns>False when the run had already finished or been cancelled.</returns>
    public bool Cancel(RunCancellationCause cause)
    {
        lock (_gate)
        {
            if (IsFinished || _cancelCause is not null)
            {
                return false;
            }

            _cancelCause = cause;
        }

        Cancelled?.Invoke(this, cause);
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

    private void OnGraceExpired()
    {
        lock (_gate)
        {
            // A reader may have attached between the timer firing and this lock; it wins.
            if (_subscribers > 0)
            {
                return;
            }
        }

        Cancel(RunCancellationCause.GraceExpired);
    }

    private async Task PumpAsync(IStreamSource source, StreamRequest request, string? resumeToken)
    {
        // Yield first so that Start returns before the provider runs any synchronous prefix.
        await Task.Yield();
        var token = _upstream.Token;
        try
        {
            await AppendAsync(new StartEvent(Id, request.Model ?? source.DefaultModel, resumeToken));
            StreamEvent? terminal = null;
            try
            {
                await foreach (var evt in source.StreamAsync(request, token).WithCancellation(token))
                {
                    if (evt is StartEvent)
                    {
                        continue; // The run writes start itself; a source's own is not part of the contract.
                    }

                    if (evt.IsTerminal)
                    {
                        terminal = evt;
                        break;
                    }

                    await AppendAsync(evt);
                }

                token.ThrowIfCancellationRequested();
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                terminal = new DoneEvent(FinishReason.Cancelled, Usage.Zero);
            }
#pragma warning disable CA1031 // Any provider failure must end the stream with an error event, never a silent cut.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Log.ProviderFailed(_logger, ex, Id);
                terminal = new ErrorEvent("provider_error", "The model provider failed while streaming.", Retryable: true);
            }

            await AppendAsync(terminal ?? new DoneEvent(FinishReason.Stop, Usage.Zero));
        }
#pragma warning disable CA1031 // The log itself failed (e.g. it was removed under us): nothing more can be told to readers.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.LogFailed(_logger, ex, Id);
        }
        finally
        {
            _completion.TrySetResult();
        }
    }

    private ValueTask AppendAsync(StreamEvent evt)
    {
        // Head moves before the append so that it is never behind an event a reader may already hold.
        var seq = Interlocked.Increment(ref _head);
        return _log.AppendAsync(Id, new SequencedEvent(seq, evt), CancellationToken.None);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Stream {StreamId}: the provider failed.")]
        public static partial void ProviderFailed(ILogger logger, Exception exception, string streamId);

        [LoggerMessage(2, LogLevel.Error, "Stream {StreamId}: appending to the replay log failed; the stream ends here.")]
        public static partial void LogFailed(ILogger logger, Exception exception, string streamId);
    }
}
