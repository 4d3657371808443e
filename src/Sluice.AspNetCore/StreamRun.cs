using Microsoft.Extensions.Logging;
using Sluice.Protocol;

namespace Sluice.AspNetCore;

/// <summary>
/// One generation: owns the upstream call and its cancellation, gives every event its seq and keeps the events for
/// its subscribers. A connection is only a subscriber; it never owns the run.
/// </summary>
/// <remarks>
/// Thread-safe. The producer (the pump) appends; any number of subscribers read by seq and wait for more.
/// </remarks>
internal sealed partial class StreamRun : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<SequencedEvent> _events = [];
    private readonly CancellationTokenSource _upstream = new();
    private readonly ILogger _logger;

    // A waiter's signal, created only when somebody waits and completed (then dropped) by the next append, so an
    // append with no waiter allocates nothing.
    private TaskCompletionSource? _appended;
    private bool _terminal;

    public StreamRun(string id, ILogger logger)
    {
        Id = id;
        _logger = logger;
    }

    public string Id { get; }

    /// <summary>Completes when the pump has appended the terminal event.</summary>
    public Task Completion { get; private set; } = Task.CompletedTask;

    /// <summary>Starts the upstream call; events flow into the run from now on.</summary>
    public void Start(IStreamSource source, StreamRequest request) => Completion = PumpAsync(source, request);

    /// <summary>Cancels the upstream call; the run ends with <c>done</c> and finish reason <c>cancelled</c>.</summary>
    public void Cancel()
    {
        try
        {
            _upstream.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The run already finished and released its source: nothing left to cancel.
        }
    }

    /// <summary>Gets the event with the given seq, if it has been appended.</summary>
    public bool TryGet(long seq, out SequencedEvent evt)
    {
        lock (_gate)
        {
            if (seq >= 0 && seq < _events.Count)
            {
                evt = _events[(int)seq];
                return true;
            }
        }

        evt = default;
        return false;
    }

    /// <summary>Completes when an event after <paramref name="afterSeq"/> exists (at once if one already does).</summary>
    public Task WaitForEventAfterAsync(long afterSeq)
    {
        lock (_gate)
        {
            if (afterSeq + 1 < _events.Count || _terminal)
            {
                return Task.CompletedTask;
            }

            return (_appended ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
        }
    }

    public void Dispose() => _upstream.Dispose();

    private async Task PumpAsync(IStreamSource source, StreamRequest request)
    {
        // Yield first so that Start returns before the provider runs any synchronous prefix.
        await Task.Yield();
        var token = _upstream.Token;
        Append(new StartEvent(Id, request.Model ?? source.DefaultModel));
        try
        {
            await foreach (var evt in source.StreamAsync(request, token).WithCancellation(token))
            {
                if (evt is StartEvent)
                {
                    continue; // The run writes start itself; a source's own is not part of the contract.
                }

                Append(evt);
                if (evt.IsTerminal)
                {
                    return;
                }
            }

            token.ThrowIfCancellationRequested();
            Append(new DoneEvent(FinishReason.Stop, Usage.Zero));
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            Append(new DoneEvent(FinishReason.Cancelled, Usage.Zero));
        }
#pragma warning disable CA1031 // Any provider failure must end the stream with an error event, never a silent cut.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ProviderFailed(_logger, ex, Id);
            Append(new ErrorEvent("provider_error", "The model provider failed while streaming.", Retryable: true));
        }
    }

    private void Append(StreamEvent evt)
    {
        TaskCompletionSource? wake;
        lock (_gate)
        {
            if (_terminal)
            {
                return; // Nothing may follow a terminal event.
            }

            _events.Add(new SequencedEvent(_events.Count, evt));
            _terminal = evt.IsTerminal;
            wake = _appended;
            _appended = null;
        }

        wake?.TrySetResult();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Error, "Stream {StreamId}: the provider failed.")]
        public static partial void ProviderFailed(ILogger logger, Exception exception, string streamId);
    }
}
