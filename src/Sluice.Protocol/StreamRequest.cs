namespace Sluice.Protocol;

/// <summary>What a client asks for when it starts a stream (the body of <c>POST /v1/streams</c>).</summary>
/// <param name="Messages">The conversation so far; at least one message.</param>
public sealed record StreamRequest(IReadOnlyList<StreamMessage> Messages)
{
    /// <summary>The model to use; the provider's default when <see langword="null"/>.</summary>
    public string? Model { get; init; }

    /// <summary>The most tokens to generate; the provider's default when <see langword="null"/>.</summary>
    public int? MaxTokens { get; init; }

    /// <summary>Sampling temperature; the provider's default when <see langword="null"/>.</summary>
    public double? Temperature { get; init; }

    /// <summary>Tools the model may call; none when empty.</summary>
    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];

    /// <summary>Structured output: when set, the answer is one JSON value matching its schema, sent as <c>object</c> events.</summary>
    public ResponseFormat? ResponseFormat { get; init; }
}
