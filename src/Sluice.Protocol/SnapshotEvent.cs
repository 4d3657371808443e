using System.Text.Json;

namespace Sluice.Protocol;

/// <summary>
/// The whole accumulated state of a stream through seq <see cref="UpTo"/>, sent in place of events that the
/// bounded replay log no longer holds. A client replaces its state with it and continues from <c>UpTo + 1</c>.
/// </summary>
/// <param name="UpTo">The last seq the snapshot covers; it is also the frame's id and seq.</param>
/// <param name="Text">All answer text through <paramref name="UpTo"/>.</param>
/// <param name="Reasoning">All reasoning text through <paramref name="UpTo"/>.</param>
/// <param name="ToolCalls">Every tool call started through <paramref name="UpTo"/>, in index order.</param>
/// <param name="Object">The structured output so far, if the stream has any.</param>
public sealed record SnapshotEvent(long UpTo, string Text, string Reasoning, IReadOnlyList<ToolCallSnapshot> ToolCalls, ObjectSnapshot? Object = null) : StreamEvent
{
    /// <inheritdoc />
    public override StreamEventType Type => StreamEventType.Snapshot;

    internal override ReadOnlySpan<byte> Utf8TypeName => "snapshot"u8;

    internal override void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteNumber(WireNames.UpTo, UpTo);
        writer.WriteString(WireNames.Text, Text);
        writer.WriteString(WireNames.Reasoning, Reasoning);
        writer.WriteStartArray(WireNames.ToolCalls);
        foreach (var call in ToolCalls)
        {
            writer.WriteStartObject();
            writer.WriteString(WireNames.Id, call.Id);
            writer.WriteString(WireNames.Name, call.Name);
            writer.WriteNumber(WireNames.Index, call.Index);
            writer.WriteString(WireNames.Arguments, call.Arguments);
            writer.WriteBoolean(WireNames.Complete, call.Complete);
            if (call.Valid is { } valid)
            {
                writer.WriteBoolean(WireNames.Valid, valid);
            }

            WireNames.WriteErrors(writer, call.Errors);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        if (Object is { } obj)
        {
            writer.WriteStartObject(WireNames.Object);
            writer.WriteString(WireNames.Text, obj.Text);
            writer.WriteBoolean(WireNames.Complete, obj.Complete);
            if (obj.Valid is { } valid)
            {
                writer.WriteBoolean(WireNames.Valid, valid);
            }

            WireNames.WriteErrors(writer, obj.Errors);
            writer.WriteEndObject();
        }
    }
}
