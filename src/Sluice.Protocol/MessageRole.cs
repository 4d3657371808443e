namespace Sluice.Protocol;

/// <summary>Who said a message. A closed set: the gateway rejects any other role with 400.</summary>
public enum MessageRole
{
    /// <summary>Instructions for the model (<c>system</c>).</summary>
    System,

    /// <summary>The person (<c>user</c>).</summary>
    User,

    /// <summary>The model, in earlier turns (<c>assistant</c>); may carry the tool calls it made.</summary>
    Assistant,

    /// <summary>The result of a tool call the model made (<c>tool</c>), answering <see cref="StreamMessage.ToolCallId"/>.</summary>
    Tool,
}
