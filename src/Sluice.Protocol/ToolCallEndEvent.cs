using System.Text.Json;

namespace Sluice.Protocol;

/// <summary>A tool call's arguments are complete.</summary>
/// <param name="Id">The call id from <see cref="ToolCallStartEvent"/>.</param>
/// <param name="Arguments">The complete arguments as JSON text (a string, so invalid JSON can still be reported verbatim).</param>
/// <param name="Valid">Whether <paramref name="Arguments"/> is valid JSON (and, where a schema was given, matches it).</param>
/// <param name="Errors">Why the arguments are not valid; omitted when they are.</param>
public sealed record ToolCallEndEvent(string Id, string Arguments, bool Valid, IReadOnlyList<string>? Errors = null) : StreamEvent
{
    /// <inheritdoc />
    public override StreamEventType Type => StreamEventType.ToolCallEnd;

    internal override ReadOnlySpan<byte> Utf8TypeName => "tool_call_end"u8;

    internal override void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteString(WireNames.Id, Id);
        writer.WriteString(WireNames.Arguments, Arguments);
        writer.WriteBoolean(WireNames.Valid, Valid);
        WireNames.WriteErrors(writer, Errors);
    }
}
