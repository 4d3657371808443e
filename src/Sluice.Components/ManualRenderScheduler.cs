namespace Sluice.Components;

/// <summary>An <see cref="IRenderScheduler"/> whose frames run only when <see cref="RunFrameAsync"/> is called: for tests.</summary>
/// <remarks>Not thread-safe: request and run frames from one thread at a time.</remarks>
public sealed class ManualRenderScheduler : IRenderScheduler
{
    private List<Func<Task>> _pending = [];
    private List<Func<Task>> _spare = [];

    /// <summary>How many callbacks wait for the next frame.</summary>
    public int PendingCount => _pending.Count;

    /// <summary>How many frames have run callbacks (a frame with nothing to run is not counted).</summary>
    public int FrameCount { get; private set; }

    /// <inheritdoc />
    public void RequestFrame(Func<Task> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        _pending.Add(callback);
    }

    /// <summary>Runs one frame: the callbacks requested so far, in order; those they request wait for the next frame.</summary>
    /// <returns>A task that completes when every callback of the frame has completed.</returns>
    public async Task RunFrameAsync()
    {
        if (_pending.Count == 0)
        {
            return;
        }

        var frame = _pending;
        _pending = _spare;
        FrameCount++;
        try
        {
            foreach (var callback in frame)
            {
                await callback().ConfigureAwait(false);
            }
        }
        finally
        {
            frame.Clear();
            _spare = frame;
        }
    }
}
