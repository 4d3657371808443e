using System.Text.Json;

namespace Sluice.Protocol;

/// <summary>Parses the JSON <c>data</c> of one Sluice SSE frame back into an event.</summary>
/// <remarks>Thread-safe; holds no state.</remarks>
public static class StreamEventParser
{
    /// <summary>Parses one frame's data.</summary>
    /// <param name="data">The UTF-8 JSON of the frame's <c>data</c> field.</param>
    /// <returns>The event with its seq, or <see langword="null"/> when the type is unknown to this version (a client skips it).</returns>
    /// <exception cref="InvalidDataException">The data is not valid JSON or lacks a required property.</exception>
    public static SequencedEvent? Parse(ReadOnlySpan<byte> data)
    {
        try
        {
            var reader = new Utf8JsonReader(data);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var type = root.GetProperty("type").GetString();
            var seq = root.GetProperty("seq").GetInt64();
            StreamEvent? evt = type switch
            {
                "start" => new StartEvent(
                    RequiredString(root, "streamId"),
                    RequiredString(root, "model"),
                    root.TryGetProperty("resumeToken", out var token) ? token.GetString() : null),
                "token" => new TokenEvent(RequiredString(root, "content")),
                "reasoning" => new ReasoningEvent(RequiredString(root, "content")),
                "tool_call_start" => new ToolCallStartEvent(
                    RequiredString(root, "id"), RequiredString(root, "name"), root.GetProperty("index").GetInt32()),
                "tool_call_delta" => new ToolCallDeltaEvent(RequiredString(root, "id"), RequiredString(root, "delta"), OptionalValue(root, "partial")),
                "tool_call_end" => new ToolCallEndEvent(
                    RequiredString(root, "id"),
                    RequiredString(root, "arguments"),
                    root.GetProperty("valid").GetBoolean(),
                    Errors(root)),
                "object" => root.TryGetProperty("final", out var final) && final.GetBoolean()
                    ? ObjectEvent.Final(OptionalValue(root, "value"), root.GetProperty("valid").GetBoolean(), Errors(root))
                    : new ObjectEvent(RequiredString(root, "delta"), OptionalValue(root, "partial")),
                "snapshot" => new SnapshotEvent(
                    root.GetProperty("upTo").GetInt64(),
                    RequiredString(root, "text"),
                    RequiredString(root, "reasoning"),
                    root.GetProperty("toolCalls").EnumerateArray().Select(ParseToolCallSnapshot).ToArray(),
                    root.TryGetProperty("object", out var obj) ? ParseObjectSnapshot(obj) : null),
                "error" => new ErrorEvent(
                    RequiredString(root, "code"),
                    RequiredString(root, "message"),
                    root.GetProperty("retryable").GetBoolean(),
                    root.TryGetProperty("retryAfter", out var retryAfter) ? TimeSpan.FromSeconds(retryAfter.GetDouble()) : null),
                "done" => new DoneEvent(new FinishReason(RequiredString(root, "finishReason")), ParseUsage(root.GetProperty("usage"))),
                _ => null,
            };
            if (evt is null)
            {
                return null;
            }

            var from = root.TryGetProperty("from", out var first) ? first.GetInt64() : seq;
            if (from > seq || from < 0)
            {
                throw new FormatException($"'from' ({from}) must be between 0 and 'seq' ({seq}).");
            }

            return new SequencedEvent(seq, evt) { FirstSeq = from };
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            throw new InvalidDataException($"Not a valid Sluice event: {ex.Message}", ex);
        }
    }

    private static string RequiredString(JsonElement element, string name) =>
        element.GetProperty(name).GetString() ?? throw new InvalidDataException($"'{name}' must be a string.");

    private static JsonElement? OptionalValue(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.Clone() : null;

    private static bool? OptionalBoolean(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.GetBoolean() : null;

    private static string[]? Errors(JsonElement element) =>
        element.TryGetProperty("errors", out var errors) ? [.. errors.EnumerateArray().Select(e => e.GetString() ?? string.Empty)] : null;

    private static ToolCallSnapshot ParseToolCallSnapshot(JsonElement call) => new(
        RequiredString(call, "id"),
        RequiredString(call, "name"),
        call.GetProperty("index").GetInt32(),
        RequiredString(call, "arguments"),
        call.GetProperty("complete").GetBoolean(),
        OptionalBoolean(call, "valid"),
        Errors(call));

    private static ObjectSnapshot ParseObjectSnapshot(JsonElement obj) => new(
        RequiredString(obj, "text"),
        obj.GetProperty("complete").GetBoolean(),
        OptionalBoolean(obj, "valid"),
        Errors(obj));

    private static Usage ParseUsage(JsonElement usage) =>
        new(usage.GetProperty("inputTokens").GetInt64(), usage.GetProperty("outputTokens").GetInt64());
}
