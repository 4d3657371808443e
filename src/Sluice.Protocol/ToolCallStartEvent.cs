using System.Text.Json;

namespace Sluice.Protocol;

/// <summary>A tool call begins; its arguments follow as <see cref="ToolCallDeltaEvent"/> fragments.</summary>
/// <param name="Id">The call id, unique within the stream.</param>
/// <param name="Name">The tool name.</param>
/// <param name="Index">0, 1, 2, … in the order the calls started.</param>
public sealed record ToolCallStartEvent(string Id, string Name, int Index) : StreamEvent
{
    /// <inheritdoc />
    public override StreamEventType Type => StreamEventType.ToolCallStart;

    internal override ReadOnlySpan<byte> Utf8TypeName => "tool_call_start"u8;

    internal override void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteString(WireNames.Id, Id);
        writer.WriteString(WireNames.Name, Name);
        writer.WriteNumber(WireNames.Index, Index);
    }
}
