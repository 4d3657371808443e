using System.Text.Json;

namespace Sluice.Protocol;

/// <summary>A fragment of a tool call's JSON arguments, verbatim: concatenating the fragments gives the arguments text.</summary>
/// <param name="Id">The call id from <see cref="ToolCallStartEvent"/>.</param>
/// <param name="Delta">The raw fragment; it need not be valid JSON on its own.</param>
public sealed record ToolCallDeltaEvent(string Id, string Delta) : StreamEvent
{
    /// <inheritdoc />
    public override StreamEventType Type => StreamEventType.ToolCallDelta;

    internal override ReadOnlySpan<byte> Utf8TypeName => "tool_call_delta"u8;

    internal override void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteString(WireNames.Id, Id);
        writer.WriteString(WireNames.Delta, Delta);
    }
}
