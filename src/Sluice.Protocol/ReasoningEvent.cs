using System.Text.Json;

namespace Sluice.Protocol;

/// <summary>A piece of the model's reasoning text, kept apart from the answer.</summary>
/// <param name="Content">The text.</param>
public sealed record ReasoningEvent(string Content) : StreamEvent
{
    /// <inheritdoc />
    public override StreamEventType Type => StreamEventType.Reasoning;

    internal override ReadOnlySpan<byte> Utf8TypeName => "reasoning"u8;

    internal override void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteString(WireNames.Content, Content);
    }
}
