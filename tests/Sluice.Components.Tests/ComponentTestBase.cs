using Bunit;
using Microsoft.Extensions.DependencyInjection;

namespace Sluice.Components.Tests;

/// <summary>A bUnit context whose frames run only when a test says so.</summary>
public abstract class ComponentTestBase : BunitContext
{
    protected ComponentTestBase()
    {
        Services.AddSingleton<IRenderScheduler>(Scheduler);
        JSInterop.Mode = JSRuntimeMode.Strict;
    }

    protected ManualRenderScheduler Scheduler { get; } = new();

    protected const string ModulePath = "./_content/Sluice.Components/sluice-components.js";

    /// <summary>Runs one frame on the renderer's dispatcher, as the browser's animation frame would.</summary>
    protected Task FrameAsync() => Renderer.Dispatcher.InvokeAsync(Scheduler.RunFrameAsync);
}
