using Microsoft.AspNetCore.Components;

namespace Sluice.Components;

/// <summary>The model's reasoning in a collapsible <c>&lt;details&gt;</c> element, as plain text.</summary>
/// <remarks>
/// The text is escaped (never markup). <see cref="Open"/> sets whether the panel starts open; afterwards the reader's
/// own opening and closing is kept while the text grows.
/// </remarks>
public sealed partial class ReasoningPanel : ComponentBase
{
    /// <summary>The reasoning so far.</summary>
    [Parameter, EditorRequired]
    public string Text { get; set; } = string.Empty;

    /// <summary>Whether reasoning is still arriving (the summary then says so).</summary>
    [Parameter]
    public bool Streaming { get; set; }

    /// <summary>Whether the panel is open.</summary>
    [Parameter]
    public bool Open { get; set; }

    /// <summary>The summary's label; "Reasoning" when null.</summary>
    [Parameter]
    public string? Title { get; set; }
}
