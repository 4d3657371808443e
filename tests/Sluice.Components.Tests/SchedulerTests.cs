using Bunit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.JSInterop;

namespace Sluice.Components.Tests;

public sealed class SchedulerTests : BunitContext
{
    private const string ModulePath = "./_content/Sluice.Components/sluice-components.js";

    [Fact]
    public async Task ManualScheduler_RunsAFramesCallbacksInOrder_AndLaterRequestsAtTheNextFrame()
    {
        var scheduler = new ManualRenderScheduler();
        var log = new List<string>();
        scheduler.RequestFrame(() => { log.Add("a"); scheduler.RequestFrame(() => { log.Add("c"); return Task.CompletedTask; }); return Task.CompletedTask; });
        scheduler.RequestFrame(() => { log.Add("b"); return Task.CompletedTask; });

        await scheduler.RunFrameAsync();
        Assert.Equal(["a", "b"], log);
        Assert.Equal(1, scheduler.PendingCount);

        await scheduler.RunFrameAsync();
        Assert.Equal(["a", "b", "c"], log);
        Assert.Equal(2, scheduler.FrameCount);

        await scheduler.RunFrameAsync(); // nothing to run: not a frame
        Assert.Equal(2, scheduler.FrameCount);
    }

    [Fact]
    public async Task BrowserScheduler_AsksForOneAnimationFrame_ForAllRequestsBeforeIt()
    {
        var module = JSInterop.SetupModule(ModulePath);
        var requestFrame = module.SetupVoid("requestFrame", _ => true);
        requestFrame.SetVoidResult();
        await using var scheduler = new BrowserRenderScheduler(JSInterop.JSRuntime);
        var log = new List<int>();

        for (var i = 0; i < 5; i++)
        {
            var n = i;
            scheduler.RequestFrame(() => { log.Add(n); return Task.CompletedTask; });
        }

        var invocation = Assert.Single(requestFrame.Invocations);
        Assert.Empty(log); // nothing runs before the frame

        await RunAnimationFrameAsync(invocation);
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, log);

        scheduler.RequestFrame(() => { log.Add(5); return Task.CompletedTask; });
        Assert.Equal(2, requestFrame.Invocations.Count); // a new frame for new work
        await RunAnimationFrameAsync(requestFrame.Invocations.ElementAt(1));
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5 }, log);
    }

    [Fact]
    public async Task BrowserScheduler_RunsTheWorkAnyway_WhenJavaScriptIsUnavailable()
    {
        // What prerendering does: JavaScript calls throw.
        JSInterop.SetupModule(ModulePath).SetupVoid("requestFrame", _ => true).SetException(new InvalidOperationException("prerendering"));
        await using var scheduler = new BrowserRenderScheduler(JSInterop.JSRuntime);
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        scheduler.RequestFrame(() => { ran.SetResult(); return Task.CompletedTask; });

        await ran.Task.WaitAsync(TimeSpan.FromSeconds(10), Xunit.TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task BrowserScheduler_OneFailingCallback_DoesNotStopTheOthers()
    {
        var module = JSInterop.SetupModule(ModulePath);
        var requestFrame = module.SetupVoid("requestFrame", _ => true);
        requestFrame.SetVoidResult();
        await using var scheduler = new BrowserRenderScheduler(JSInterop.JSRuntime);
        var ran = false;

        scheduler.RequestFrame(() => throw new InvalidOperationException("boom"));
        scheduler.RequestFrame(() => { ran = true; return Task.CompletedTask; });

        var error = await Assert.ThrowsAsync<AggregateException>(() => RunAnimationFrameAsync(requestFrame.Invocations.First()));
        Assert.Equal("boom", Assert.Single(error.InnerExceptions).Message);
        Assert.True(ran);
    }

    [Fact]
    public async Task BrowserScheduler_AfterDisposal_IgnoresRequests()
    {
        var module = JSInterop.SetupModule(ModulePath);
        var requestFrame = module.SetupVoid("requestFrame", _ => true);
        requestFrame.SetVoidResult();
        var scheduler = new BrowserRenderScheduler(JSInterop.JSRuntime);
        await scheduler.DisposeAsync();

        scheduler.RequestFrame(() => throw new InvalidOperationException("must not run"));

        Assert.Empty(requestFrame.Invocations);
    }

    [Fact]
    public void AddSluiceComponents_RegistersTheBrowserScheduler_UnlessOneIsThere()
    {
        var services = new ServiceCollection();
        services.AddSluiceComponents();
        var descriptor = Assert.Single(services, d => d.ServiceType == typeof(IRenderScheduler));
        Assert.Equal(typeof(BrowserRenderScheduler), descriptor.ImplementationType);
        Assert.Equal(ServiceLifetime.Scoped, descriptor.Lifetime);

        var manual = new ManualRenderScheduler();
        var custom = new ServiceCollection().AddSingleton<IRenderScheduler>(manual).AddSluiceComponents();
        Assert.Same(manual, Assert.Single(custom, d => d.ServiceType == typeof(IRenderScheduler)).ImplementationInstance);
    }

    // What requestAnimationFrame's callback does: call back into .NET through the reference it was given.
    private static Task RunAnimationFrameAsync(JSRuntimeInvocation invocation)
    {
        var target = (DotNetObjectReference<BrowserRenderScheduler.FrameTarget>)invocation.Arguments[0]!;
        return target.Value.OnFrameAsync();
    }
}
