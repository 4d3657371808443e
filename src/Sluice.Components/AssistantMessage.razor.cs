using Microsoft.AspNetCore.Components;
using Sluice.Client;
using Sluice.Markdown;

namespace Sluice.Components;

/// <summary>
/// One assistant message: connection state, reasoning, the answer as progressive markdown, tool calls, an error if the
/// stream ended with one, and after the answer its usage and finish reason; a stop button while it streams.
/// </summary>
/// <remarks>
/// <para>
/// Like <see cref="StreamingMarkdown"/>, it renders at most once per frame: call <see cref="NotifyChanged"/> after
/// applying each event to <see cref="Message"/> (or re-render the parent; the same message passed again is treated the
/// same way). The markdown inside catches up at the same frame.
/// </para>
/// <para>Needs an <see cref="IRenderScheduler"/> service (<see cref="SluiceComponentsServiceCollectionExtensions.AddSluiceComponents"/>).</para>
/// </remarks>
public sealed partial class AssistantMessage : ComponentBase, IDisposable
{
    private readonly FrameRequest _frame;
    private StreamingMarkdown? _markdown;
    private MessageState? _message;
    private long _renderedVersion = -1;
    private bool _renderNext;

    /// <summary>Creates the component (the renderer does).</summary>
    public AssistantMessage() => _frame = new FrameRequest(OnFrameAsync);

    /// <summary>The message shown.</summary>
    [Parameter, EditorRequired]
    public MessageState Message { get; set; } = default!;

    /// <summary>What the answer's markdown may contain; the library's defaults when null.</summary>
    [Parameter]
    public ProgressiveMarkdownOptions? MarkdownOptions { get; set; }

    /// <summary>Invoked by the stop button, which is shown while the message streams if this has a handler.</summary>
    [Parameter]
    public EventCallback OnStop { get; set; }

    /// <summary>Whether to show token usage and the finish reason once the message is complete (default true).</summary>
    [Parameter]
    public bool ShowUsage { get; set; } = true;

    /// <summary>Extra CSS classes for the message element.</summary>
    [Parameter]
    public string? Class { get; set; }

    [Inject]
    private IRenderScheduler Scheduler { get; set; } = default!;

    private string ContainerClass => string.IsNullOrEmpty(Class) ? "sluice-message" : "sluice-message " + Class;

    /// <summary>
    /// Says that <see cref="Message"/> may have changed: the message renders at the next frame, once however many times
    /// this is called before it. Call it on the renderer's thread, like every change of the message.
    /// </summary>
    public void NotifyChanged()
    {
        if (_message is null)
        {
            return;
        }

        _frame.Request(Scheduler);
        _markdown?.NotifyChanged();
    }

    /// <inheritdoc />
    public void Dispose() => _frame.Cancel();

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        if (Message is null)
        {
            throw new InvalidOperationException($"{nameof(AssistantMessage)} needs a {nameof(Message)}.");
        }

        if (!ReferenceEquals(Message, _message) || Message.Version == _renderedVersion)
        {
            // A new message renders now; so does a change of the other parameters (nothing new in the message).
            _message = Message;
            _renderedVersion = Message.Version;
            _renderNext = true;
            return;
        }

        // The parent re-rendered because of an event: wait for the frame rather than render per event.
        NotifyChanged();
    }

    /// <inheritdoc />
    protected override bool ShouldRender()
    {
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
        if (_message is null || _message.Version == _renderedVersion)
        {
            return;
        }

        _renderedVersion = _message.Version;
        _renderNext = true;
        _markdown?.CatchUpWithParent(); // one render batch for the whole message
        StateHasChanged();
    }

    private static string FinishReasonText(Sluice.Protocol.FinishReason reason) => reason.Value.Replace('_', ' ');
}
