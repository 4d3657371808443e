namespace Sluice.Protocol;

/// <summary>Who said a message. A closed set: the gateway rejects any other role with 400.</summary>
public enum MessageRole
{
    /// <summary>Instructions for the model (<c>system</c>).</summary>
    System,

    /// <summary>The person (<c>user</c>).</summary>
    User,

    /// <summary>The model, in earlier turns (<c>assistant</c>).</summary>
    Assistant,
}
