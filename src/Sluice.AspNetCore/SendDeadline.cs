using System.IO.Pipelines;

namespace Sluice.AspNetCore;

/// <summary>
/// Bounds every flush of one response by <see cref="SluiceOptions.SendTimeout"/>: a flush still waiting after that long
/// (the client took too few bytes to make room in the response's buffer) is cancelled, and
/// <see cref="TimedOut"/> says so. Time comes from the injected <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// One per response, created once: a timer and a linked token. The timer is armed only when a flush does not complete at
/// once, which it does while the client keeps up; so the common flush costs nothing more.
/// </remarks>
internal sealed class SendDeadline : IDisposable
{
    private readonly TimeSpan? _limit;
    private readonly CancellationTokenSource? _timeout;
    private readonly CancellationTokenSource? _linked;
    private readonly CancellationToken _token;

    public SendDeadline(TimeSpan? limit, TimeProvider timeProvider, CancellationToken lifetime)
    {
        _limit = limit;
        if (limit is null)
        {
            _token = lifetime;
            return;
        }

        // Created disarmed; CancelAfter re-arms the same timer (the TimeProvider's), so a flush allocates nothing.
        _timeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(lifetime, _timeout.Token);
        _token = _linked.Token;
    }

    /// <summary>Whether a flush waited longer than the limit (the flush then threw <see cref="OperationCanceledException"/>).</summary>
    public bool TimedOut => _timeout?.IsCancellationRequested == true;

    /// <summary>Flushes <paramref name="output"/>, cancelled by the reader's lifetime or after the limit.</summary>
    /// <exception cref="OperationCanceledException">The lifetime ended, or the limit passed (<see cref="TimedOut"/>).</exception>
    public ValueTask<FlushResult> FlushAsync(PipeWriter output)
    {
        var flush = output.FlushAsync(_token);
        return flush.IsCompleted || _limit is not { } limit ? flush : WaitAsync(flush, limit);
    }

    public void Dispose()
    {
        _linked?.Dispose();
        _timeout?.Dispose();
    }

    private async ValueTask<FlushResult> WaitAsync(ValueTask<FlushResult> flush, TimeSpan limit)
    {
        _timeout!.CancelAfter(limit);
        FlushResult result;
        try
        {
            result = await flush;
        }
        finally
        {
            if (!_timeout.IsCancellationRequested)
            {
                _timeout.CancelAfter(Timeout.InfiniteTimeSpan); // disarm until the next flush that has to wait
            }
        }

        // Kestrel may end a flush cancelled by its token without throwing (it aborts the connection itself and returns
        // a result): a timeout is reported the same way whichever it did.
        _timeout.Token.ThrowIfCancellationRequested();
        return result;
    }
}
