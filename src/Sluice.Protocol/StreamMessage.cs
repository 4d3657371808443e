namespace Sluice.Protocol;

/// <summary>One message of the conversation sent to the model.</summary>
/// <param name="Role">Who said it.</param>
/// <param name="Content">What was said (for <see cref="MessageRole.Tool"/>, the tool's result as text).</param>
public sealed record StreamMessage(MessageRole Role, string Content)
{
    /// <summary>For <see cref="MessageRole.Tool"/>: the id of the call this result answers.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>For <see cref="MessageRole.Assistant"/>: the tool calls the model made in that turn; none when empty.</summary>
    public IReadOnlyList<MessageToolCall> ToolCalls { get; init; } = [];
}
