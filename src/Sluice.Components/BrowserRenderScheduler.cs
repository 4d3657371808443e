using Microsoft.JSInterop;

namespace Sluice.Components;

/// <summary>
/// An <see cref="IRenderScheduler"/> on the browser's <c>requestAnimationFrame</c>: one JavaScript call per frame that
/// has work, whatever the number of components waiting, and none while nothing changes.
/// </summary>
/// <remarks>
/// <para>
/// Register it per user (scoped) with <see cref="SluiceComponentsServiceCollectionExtensions.AddSluiceComponents"/>.
/// It imports <c>_content/Sluice.Components/sluice-components.js</c> on first use.
/// </para>
/// <para>
/// While the page is hidden the browser runs no frames, so nothing renders; the next frame shows everything that
/// arrived meanwhile. Where JavaScript cannot be called (prerendering), the callbacks run at once instead, after the
/// current work yields.
/// </para>
/// </remarks>
public sealed class BrowserRenderScheduler : IRenderScheduler, IAsyncDisposable
{
    private readonly IJSRuntime _jsRuntime;
    private readonly Lock _gate = new();
    private List<Func<Task>> _pending = [];
    private List<Func<Task>> _spare = [];
    private bool _frameRequested;
    private bool _disposed;
    private IJSObjectReference? _module;
    private DotNetObjectReference<FrameTarget>? _target;

    /// <summary>Creates a scheduler that calls the browser through <paramref name="jsRuntime"/>.</summary>
    /// <param name="jsRuntime">The page's JavaScript runtime.</param>
    public BrowserRenderScheduler(IJSRuntime jsRuntime)
    {
        ArgumentNullException.ThrowIfNull(jsRuntime);
        _jsRuntime = jsRuntime;
    }

    /// <inheritdoc />
    public void RequestFrame(Func<Task> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _pending.Add(callback);
            if (_frameRequested)
            {
                return;
            }

            _frameRequested = true;
        }

        // Observed inside: every failure is handled there.
        _ = RequestAnimationFrameAsync();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _pending.Clear();
        }

        try
        {
            if (_module is { } module)
            {
                await module.DisposeAsync().ConfigureAwait(false);
            }
        }
        catch (JSDisconnectedException)
        {
            // The page is gone, and the module with it.
        }
        finally
        {
            _target?.Dispose();
        }
    }

    /// <summary>Runs the callbacks of one frame (called from JavaScript at the animation frame).</summary>
    internal async Task RunFrameAsync()
    {
        List<Func<Task>> frame;
        lock (_gate)
        {
            _frameRequested = false;
            if (_disposed || _pending.Count == 0)
            {
                return;
            }

            frame = _pending;
            _pending = _spare;
            _spare = [];
        }

        List<Exception>? errors = null;
        foreach (var callback in frame)
        {
            try
            {
                await callback().ConfigureAwait(false);
            }
#pragma warning disable CA1031 // One component's failure must not keep the others of the frame from rendering.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                (errors ??= []).Add(ex);
            }
        }

        frame.Clear();
        lock (_gate)
        {
            _spare = frame;
        }

        if (errors is not null)
        {
            throw new AggregateException(errors);
        }
    }

    private async Task RequestAnimationFrameAsync()
    {
        try
        {
            // One request at a time (the next waits for this frame), so the fields need no lock.
            _module ??= await _jsRuntime.InvokeAsync<IJSObjectReference>("import", SluiceScripts.ModulePath).ConfigureAwait(false);
            _target ??= DotNetObjectReference.Create(new FrameTarget(this));
            await _module.InvokeVoidAsync("requestFrame", _target).ConfigureAwait(false);
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone: nothing will be shown again.
        }
        catch (Exception ex) when (ex is InvalidOperationException or JSException)
        {
            // No JavaScript now (prerendering) or the module failed: show the change anyway, without frame timing.
            await Task.Yield();
            await RunFrameAsync().ConfigureAwait(false);
        }
    }

    /// <summary>What JavaScript calls back; a separate object so that the scheduler's public surface stays clean.</summary>
    internal sealed class FrameTarget(BrowserRenderScheduler scheduler)
    {
        /// <summary>Called by <c>sluice-components.js</c> at the animation frame.</summary>
        /// <returns>A task that completes when the frame's callbacks have run.</returns>
        [JSInvokable("OnFrame")]
        public Task OnFrameAsync() => scheduler.RunFrameAsync();
    }
}
