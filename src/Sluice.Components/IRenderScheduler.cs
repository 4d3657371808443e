namespace Sluice.Components;

/// <summary>
/// Runs work at the next display frame, so that components fed an event per token render at most once per frame.
/// </summary>
/// <remarks>
/// <para>
/// A component that has something new to show asks for a frame (<see cref="RequestFrame"/>) instead of rendering;
/// every callback requested before a frame runs at that frame, in request order, and a callback requested while a
/// frame runs waits for the next one. Components ask at most once per frame, so a burst of events costs one render.
/// </para>
/// <para>
/// <see cref="BrowserRenderScheduler"/> uses the browser's <c>requestAnimationFrame</c> (register it with
/// <see cref="SluiceComponentsServiceCollectionExtensions.AddSluiceComponents"/>); <see cref="ManualRenderScheduler"/>
/// runs frames when a test says so.
/// </para>
/// </remarks>
public interface IRenderScheduler
{
    /// <summary>Runs <paramref name="callback"/> once, at the next frame.</summary>
    /// <param name="callback">
    /// The work; it may be invoked on any thread, so a component marshals onto its renderer (<c>InvokeAsync</c>).
    /// </param>
    void RequestFrame(Func<Task> callback);
}
