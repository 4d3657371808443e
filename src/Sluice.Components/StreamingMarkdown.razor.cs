using Microsoft.AspNetCore.Components;
using Sluice.Client;
using Sluice.Markdown;

namespace Sluice.Components;

/// <summary>
/// A message's answer as markdown, rendered progressively: only the new text is parsed, blocks are keyed, and the
/// component renders at most once per frame however many events arrive.
/// </summary>
/// <remarks>
/// <para>
/// Feed <see cref="Message"/> as events arrive and call <see cref="NotifyChanged"/> after each (or re-render the
/// parent: a parameter update with the same message is treated the same way). At the next frame the component appends
/// <see cref="MessageState.GetTextSince"/> to its <see cref="ProgressiveMarkdownRenderer"/> and renders if a block
/// changed. When <see cref="MessageState.TextGeneration"/> changes (a snapshot replaced the text) it starts over; when
/// the message is complete it completes the renderer, which settles every block.
/// </para>
/// <para>
/// Each block is an element keyed by <see cref="MarkdownBlock.Key"/> holding the block's sanitized HTML, so a frame
/// touches only the blocks that changed (in practice the last one). Code blocks get a header with their language and a
/// copy button (<see cref="CodeBlock"/>). Model text reaches the page only as the markdown library's sanitized HTML.
/// </para>
/// <para>Needs an <see cref="IRenderScheduler"/> service (<see cref="SluiceComponentsServiceCollectionExtensions.AddSluiceComponents"/>).</para>
/// </remarks>
public sealed partial class StreamingMarkdown : ComponentBase, IDisposable
{
    private readonly List<MarkdownBlock> _blocks = [];
    private readonly FrameRequest _frame;
    private ProgressiveMarkdownRenderer? _renderer;
    private MessageState? _message;
    private ProgressiveMarkdownOptions? _options;
    private string? _class;
    private int _consumed;
    private int _generation;
    private bool _completed;
    private long _syncedVersion = -1;
    private bool _renderNext;
    private bool _catchUpWithParent;

    /// <summary>Creates the component (the renderer does).</summary>
    public StreamingMarkdown() => _frame = new FrameRequest(OnFrameAsync);

    /// <summary>The message whose text is shown. A different instance starts the rendering over.</summary>
    [Parameter, EditorRequired]
    public MessageState Message { get; set; } = default!;

    /// <summary>What the markdown may contain (images, highlighting); the library's defaults when null.</summary>
    [Parameter]
    public ProgressiveMarkdownOptions? Options { get; set; }

    /// <summary>Extra CSS classes for the container element.</summary>
    [Parameter]
    public string? Class { get; set; }

    /// <summary>The blocks on screen, in key order.</summary>
    public IReadOnlyList<MarkdownBlock> Blocks => _blocks;

    [Inject]
    private IRenderScheduler Scheduler { get; set; } = default!;

    /// <summary>
    /// Says that <see cref="Message"/> may have changed: the component catches up at the next frame, rendering once
    /// however many times this is called before it. Call it on the renderer's thread, like every change of the message.
    /// </summary>
    public void NotifyChanged()
    {
        if (_message is not null)
        {
            _frame.Request(Scheduler);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _frame.Cancel();

    /// <summary>
    /// Called by a parent that renders at its frame: the parameters it is about to set come with that frame, so the
    /// component catches up then, in the parent's render batch, rather than in a batch of its own.
    /// </summary>
    internal void CatchUpWithParent() => _catchUpWithParent = true;

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        if (Message is null)
        {
            throw new InvalidOperationException($"{nameof(StreamingMarkdown)} needs a {nameof(Message)}.");
        }

        var catchUp = _catchUpWithParent;
        _catchUpWithParent = false;
        if (!ReferenceEquals(Message, _message) || Options != _options)
        {
            // A new message (or new rules): render it now, whatever it holds so far.
            _message = Message;
            _options = Options;
            _class = Class;
            Restart();
            Sync();
            _renderNext = true;
            return;
        }

        if (!string.Equals(Class, _class, StringComparison.Ordinal))
        {
            _class = Class;
            _renderNext = true;
        }

        if (Message.Version == _syncedVersion)
        {
            return;
        }

        if (catchUp)
        {
            // The parent is rendering its frame: render in the same batch (the frame asked for, if any, finds nothing).
            _renderNext |= Sync();
        }
        else
        {
            // The parent re-rendered because of an event: wait for the frame rather than render per event.
            _frame.Request(Scheduler);
        }
    }

    /// <inheritdoc />
    protected override bool ShouldRender()
    {
        // Only a frame with a visible change, a new message or a new class renders; a parent's re-render does not.
        var render = _renderNext;
        _renderNext = false;
        return render;
    }

    private async Task OnFrameAsync()
    {
        try
        {
            await InvokeAsync(RenderFrame).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Reported to the component's error boundary rather than lost in the scheduler.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await DispatchExceptionAsync(ex).ConfigureAwait(false);
        }
    }

    private void RenderFrame()
    {
        if (_message is null || _message.Version == _syncedVersion)
        {
            return;
        }

        if (Sync())
        {
            _renderNext = true;
            StateHasChanged();
        }
    }

    private void Restart()
    {
        _renderer = new ProgressiveMarkdownRenderer(_options);
        _blocks.Clear();
        _consumed = 0;
        _completed = false;
        _generation = _message!.TextGeneration;
    }

    /// <summary>Brings the blocks up to the message; returns whether any block changed.</summary>
    private bool Sync()
    {
        var message = _message!;
        var changed = false;

        // Replaced rather than extended (a snapshot), or grown after it was completed (a retried message): start over.
        if (message.TextGeneration != _generation || message.TextLength < _consumed || (_completed && message.TextLength != _consumed))
        {
            Restart();
            changed = true;
        }

        if (message.TextLength > _consumed)
        {
            var delta = message.GetTextSince(_consumed);
            _consumed += delta.Length;
            changed |= Apply(_renderer!.Append(delta));
        }

        if (message.IsComplete && !_completed)
        {
            _completed = true;
            changed |= Apply(_renderer!.Complete());
        }

        _syncedVersion = message.Version;
        return changed;
    }

    /// <summary>Applies an update as the markdown library's contract says: remove, replace, append.</summary>
    private bool Apply(MarkdownUpdate update)
    {
        if (update.Added.Count == 0 && update.Changed.Count == 0 && update.Removed.Count == 0)
        {
            return false;
        }

        var consistent = true;
        foreach (var key in update.Removed.OrderDescending())
        {
            consistent &= key == _blocks.Count - 1;
            if (consistent)
            {
                _blocks.RemoveAt(key);
            }
        }

        foreach (var block in update.Changed)
        {
            consistent &= block.Key < _blocks.Count;
            if (consistent)
            {
                _blocks[block.Key] = block;
            }
        }

        foreach (var block in update.Added)
        {
            consistent &= block.Key == _blocks.Count;
            if (consistent)
            {
                _blocks.Add(block);
            }
        }

        if (!consistent)
        {
            // Keys are positions; should they ever disagree, the renderer's own list is the truth.
            _blocks.Clear();
            _blocks.AddRange(_renderer!.Blocks);
        }

        return true;
    }
}
