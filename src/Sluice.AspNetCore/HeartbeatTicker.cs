namespace Sluice.AspNetCore;

/// <summary>A periodic tick as an awaitable task, driven by a <see cref="TimeProvider"/> (fake in tests).</summary>
internal sealed class HeartbeatTicker : IDisposable
{
    private readonly Lock _gate = new();
    private readonly ITimer _timer;
    private TaskCompletionSource _tick = NewTick();

    public HeartbeatTicker(TimeProvider timeProvider, TimeSpan interval)
    {
        _timer = timeProvider.CreateTimer(static state => ((HeartbeatTicker)state!).OnTick(), this, interval, interval);
    }

    /// <summary>Completes at the next tick; after it completes, the following call returns a fresh task.</summary>
    public Task NextTick
    {
        get
        {
            lock (_gate)
            {
                return _tick.Task;
            }
        }
    }

    /// <summary>Marks the current tick as seen, so <see cref="NextTick"/> waits for a new one.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            if (_tick.Task.IsCompleted)
            {
                _tick = NewTick();
            }
        }
    }

    public void Dispose() => _timer.Dispose();

    private void OnTick()
    {
        lock (_gate)
        {
            _tick.TrySetResult();
        }
    }

    private static TaskCompletionSource NewTick() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
