using System.Text.Json;

namespace Sluice.Protocol;

/// <summary>A fragment of a tool call's JSON arguments, verbatim: concatenating the fragments gives the arguments text.</summary>
/// <param name="Id">The call id from <see cref="ToolCallStartEvent"/>.</param>
/// <param name="Delta">The raw fragment; it need not be valid JSON on its own.</param>
/// <param name="Partial">
/// The arguments so far as a value (open strings, arrays and objects closed), for thin clients that do not parse the
/// fragments themselves; sent only when the gateway is configured to, and then at most every so often.
/// </param>
public sealed record ToolCallDeltaEvent(string Id, string Delta, JsonElement? Partial = null) : StreamEvent
{
    /// <inheritdoc />
    public override StreamEventType Type => StreamEventType.ToolCallDelta;

    internal override ReadOnlySpan<byte> Utf8TypeName => "tool_call_delta"u8;

    internal override void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteString(WireNames.Id, Id);
        writer.WriteString(WireNames.Delta, Delta);
        if (Partial is { } partial)
        {
            writer.WritePropertyName(WireNames.Partial);
            partial.WriteTo(writer);
        }
    }
}
