using Microsoft.AspNetCore.Components;

namespace Sluice.Components;

/// <summary>A button that asks to stop the answer being generated (the page cancels the run, e.g. with <c>DELETE</c>).</summary>
public sealed partial class StopButton : ComponentBase
{
    /// <summary>Invoked when the button is clicked.</summary>
    [Parameter]
    public EventCallback OnStop { get; set; }

    /// <summary>Whether the button is disabled (say, while the stop request is on its way).</summary>
    [Parameter]
    public bool Disabled { get; set; }

    /// <summary>The button's text; "Stop" when null.</summary>
    [Parameter]
    public string? Label { get; set; }
}
