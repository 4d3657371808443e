namespace Sluice.Components;

/// <summary>One component's request for the next frame: asking again before that frame runs changes nothing.</summary>
internal sealed class FrameRequest
{
    private readonly Func<Task> _onFrame;
    private readonly Func<Task> _run;
    private int _pending;
    private volatile bool _disposed;

    public FrameRequest(Func<Task> onFrame)
    {
        _onFrame = onFrame;
        _run = RunAsync;
    }

    /// <summary>Whether a frame has been requested and has not run yet.</summary>
    public bool IsPending => Volatile.Read(ref _pending) != 0;

    public void Request(IRenderScheduler scheduler)
    {
        if (_disposed || Interlocked.Exchange(ref _pending, 1) != 0)
        {
            return;
        }

        scheduler.RequestFrame(_run);
    }

    /// <summary>Stops the callback: a frame already requested then does nothing.</summary>
    public void Cancel() => _disposed = true;

    private Task RunAsync()
    {
        // Cleared first: a change that arrives while the frame's work runs asks for the next frame.
        Volatile.Write(ref _pending, 0);
        return _disposed ? Task.CompletedTask : _onFrame();
    }
}
