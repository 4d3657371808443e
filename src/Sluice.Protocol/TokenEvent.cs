using System.Text.Json;

namespace Sluice.Protocol;

/// <summary>A piece of answer text; concatenating every <c>content</c> in seq order gives the answer.</summary>
/// <param name="Content">The text, possibly empty, possibly containing any character.</param>
public sealed record TokenEvent(string Content) : StreamEvent
{
    /// <inheritdoc />
    public override StreamEventType Type => StreamEventType.Token;

    internal override ReadOnlySpan<byte> Utf8TypeName => "token"u8;

    internal override void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteString(WireNames.Content, Content);
    }
}
