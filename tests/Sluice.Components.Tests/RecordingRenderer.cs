#pragma warning disable BL0006 // The render tree types are what a test of DOM updates has to read.
using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.RenderTree;
using Microsoft.Extensions.Logging.Abstractions;

namespace Sluice.Components.Tests;

/// <summary>One component's render in a batch: its id and type, and the edits Blazor sends the browser for it.</summary>
internal sealed record RecordedDiff(int ComponentId, Type ComponentType, RenderTreeEdit[] Edits);

/// <summary>
/// A Blazor renderer that keeps every render batch instead of applying it to a DOM: exact render counts per component
/// (every render of a component is one diff in a batch, even when it changes nothing) and the edits a browser would get.
/// </summary>
internal sealed class RecordingRenderer(IServiceProvider services) : Renderer(services, NullLoggerFactory.Instance)
{
    public List<List<RecordedDiff>> Batches { get; } = [];

    public IEnumerable<RecordedDiff> Diffs => Batches.SelectMany(b => b);

    public override Dispatcher Dispatcher { get; } = Dispatcher.CreateDefault();

    public int RenderCount<T>() => Diffs.Count(d => d.ComponentType == typeof(T));

    public async Task<(T Component, int Id)> RenderAsync<T>(IDictionary<string, object?> parameters)
        where T : IComponent
    {
        return await Dispatcher.InvokeAsync(async () =>
        {
            var component = (T)InstantiateComponent(typeof(T));
            var id = AssignRootComponentId(component);
            await RenderRootComponentAsync(id, ParameterView.FromDictionary(parameters));
            return (component, id);
        });
    }

    /// <summary>Sets a root component's parameters again, as a parent re-rendering does.</summary>
    public Task SetParametersAsync(IComponent component, IDictionary<string, object?> parameters) =>
        Dispatcher.InvokeAsync(() => component.SetParametersAsync(ParameterView.FromDictionary(parameters)));

    protected override void HandleException(Exception exception) => ExceptionDispatchInfo.Throw(exception);

    protected override Task UpdateDisplayAsync(in RenderBatch renderBatch)
    {
        var batch = new List<RecordedDiff>();
        for (var i = 0; i < renderBatch.UpdatedComponents.Count; i++)
        {
            var diff = renderBatch.UpdatedComponents.Array[i];
            var type = GetComponentState(diff.ComponentId).Component.GetType();
            batch.Add(new RecordedDiff(diff.ComponentId, type, diff.Edits.AsEnumerable().ToArray()));
        }

        Batches.Add(batch);
        return Task.CompletedTask;
    }
}
