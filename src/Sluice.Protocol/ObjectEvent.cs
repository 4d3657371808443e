using System.Text.Json;

namespace Sluice.Protocol;

/// <summary>The current partial value in structured-output mode.</summary>
/// <param name="Partial">The best value so far; later <c>object</c> events replace it.</param>
public sealed record ObjectEvent(JsonElement Partial) : StreamEvent
{
    /// <inheritdoc />
    public override StreamEventType Type => StreamEventType.Object;

    internal override ReadOnlySpan<byte> Utf8TypeName => "object"u8;

    internal override void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WritePropertyName(WireNames.Partial);
        Partial.WriteTo(writer);
    }
}
