using Microsoft.AspNetCore.Components;
using Microsoft.JSInterop;
using Sluice.Markdown;

namespace Sluice.Components;

/// <summary>
/// A code block of the markdown: a header with the language and a copy button, then the block's highlighted HTML as
/// the markdown library rendered (and sanitized) it.
/// </summary>
/// <remarks>
/// The copy button writes the block's raw <see cref="MarkdownBlock.Code"/> to the clipboard
/// (<c>navigator.clipboard.writeText</c>, which browsers allow on secure origins). The component renders again only
/// when it is given a different block or the button's state changes, so a settled block costs nothing per frame.
/// </remarks>
public sealed partial class CodeBlock : ComponentBase, IAsyncDisposable
{
    private MarkdownBlock? _shown;
    private bool _renderNext;
    private CopyState _copy;
    private IJSObjectReference? _module;

    private enum CopyState
    {
        Ready,
        Copied,
        Failed,
    }

    /// <summary>The block; its <see cref="MarkdownBlock.Kind"/> should be <see cref="MarkdownBlockKind.Code"/>.</summary>
    [Parameter, EditorRequired]
    public MarkdownBlock Block { get; set; } = default!;

    [Inject]
    private IJSRuntime JSRuntime { get; set; } = default!;

    private string CopyLabel => _copy switch
    {
        CopyState.Copied => "Copied",
        CopyState.Failed => "Copy failed",
        _ => "Copy",
    };

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_module is null)
        {
            return;
        }

        try
        {
            await _module.DisposeAsync().ConfigureAwait(false);
        }
        catch (JSDisconnectedException)
        {
            // The page is gone, and the module with it.
        }
    }

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        if (Block is null)
        {
            throw new InvalidOperationException($"{nameof(CodeBlock)} needs a {nameof(Block)}.");
        }

        if (!Equals(Block, _shown))
        {
            if (!string.Equals(Block.Code, _shown?.Code, StringComparison.Ordinal))
            {
                _copy = CopyState.Ready; // "Copied" described the text as it was.
            }

            _shown = Block;
            _renderNext = true;
        }
    }

    /// <inheritdoc />
    protected override bool ShouldRender()
    {
        var render = _renderNext;
        _renderNext = false;
        return render;
    }

    private async Task CopyAsync()
    {
        try
        {
            _module ??= await JSRuntime.InvokeAsync<IJSObjectReference>("import", SluiceScripts.ModulePath).ConfigureAwait(true);
            await _module.InvokeVoidAsync("copyText", Block.Code ?? string.Empty).ConfigureAwait(true);
            _copy = CopyState.Copied;
        }
        catch (JSException)
        {
            _copy = CopyState.Failed; // Refused: no permission, or not a secure origin.
        }

        _renderNext = true;
    }
}
