using System.Buffers;
using System.Text.Json;
using Sluice.Protocol;

namespace Sluice.Client;

/// <summary>Writes a <see cref="StreamRequest"/> as the JSON body of <c>POST /v1/streams</c> (docs/PROTOCOL.md).</summary>
/// <remarks>Hand-written over <see cref="Utf8JsonWriter"/>: no reflection, so the client stays trimmable (Blazor WebAssembly).</remarks>
internal static class StreamRequestWriter
{
    public static ReadOnlyMemory<byte> Write(StreamRequest request)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("messages");
            foreach (var message in request.Messages)
            {
                WriteMessage(writer, message);
            }

            writer.WriteEndArray();
            if (request.Model is { } model)
            {
                writer.WriteString("model", model);
            }

            if (request.MaxTokens is { } maxTokens)
            {
                writer.WriteNumber("maxTokens", maxTokens);
            }

            if (request.Temperature is { } temperature)
            {
                writer.WriteNumber("temperature", temperature);
            }

            if (request.Tools.Count > 0)
            {
                writer.WriteStartArray("tools");
                foreach (var tool in request.Tools)
                {
                    writer.WriteStartObject();
                    writer.WriteString("name", tool.Name);
                    if (tool.Description is { } description)
                    {
                        writer.WriteString("description", description);
                    }

                    if (tool.Parameters is { } parameters)
                    {
                        writer.WritePropertyName("parameters");
                        parameters.WriteTo(writer);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            if (request.ResponseFormat is { } format)
            {
                writer.WriteStartObject("responseFormat");
                writer.WriteString("type", "json_schema");
                writer.WritePropertyName("schema");
                format.Schema.WriteTo(writer);
                if (format.Name is { } name)
                {
                    writer.WriteString("name", name);
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenMemory;
    }

    private static void WriteMessage(Utf8JsonWriter writer, StreamMessage message)
    {
        writer.WriteStartObject();
        writer.WriteString("role", message.Role switch
        {
            MessageRole.System => "system",
            MessageRole.User => "user",
            MessageRole.Assistant => "assistant",
            MessageRole.Tool => "tool",
            _ => throw new ArgumentOutOfRangeException(nameof(message), message.Role, "Unknown message role."),
        });
        writer.WriteString("content", message.Content);
        if (message.ToolCallId is { } toolCallId)
        {
            writer.WriteString("toolCallId", toolCallId);
        }

        if (message.ToolCalls.Count > 0)
        {
            writer.WriteStartArray("toolCalls");
            foreach (var call in message.ToolCalls)
            {
                writer.WriteStartObject();
                writer.WriteString("id", call.Id);
                writer.WriteString("name", call.Name);
                writer.WriteString("arguments", call.Arguments);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }
}
