namespace Sluice.Protocol;

/// <summary>One message of the conversation sent to the model.</summary>
/// <param name="Role">Who said it.</param>
/// <param name="Content">What was said.</param>
public sealed record StreamMessage(MessageRole Role, string Content);
