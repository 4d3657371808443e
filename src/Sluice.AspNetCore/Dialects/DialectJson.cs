using System.Buffers;
using System.Text.Json;

namespace Sluice.AspNetCore.Dialects;

/// <summary>What the dialects' request parsers share: opening the body, ids, and JSON values carried as text.</summary>
internal static class DialectJson
{
    /// <summary>Longest conversation id accepted (chat id, thread id, run id): ids are keys, not payloads.</summary>
    public const int MaxIdLength = 256;

    /// <summary>Parses the body as one JSON object, or says where it is not.</summary>
    public static JsonDocument? ParseObject(ReadOnlySequence<byte> body, out string? syntaxError)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var column = (ex.BytePositionInLine ?? 0) + 1;
            syntaxError = $"The body is not valid JSON (line {line}, byte {column}): {StreamRequestParser.FirstSentence(ex.Message)}";
            return null;
        }

        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            syntaxError = $"The body must be a JSON object, not {StreamRequestParser.Describe(document.RootElement.ValueKind)}.";
            document.Dispose();
            return null;
        }

        syntaxError = null;
        return document;
    }

    /// <summary>A required id: a string of 1 to <see cref="MaxIdLength"/> characters, usable as a path segment.</summary>
    public static string? RequiredId(JsonElement parent, string name, Dictionary<string, string[]> errors)
    {
        if (StreamRequestParser.RequiredString(parent, name, path: string.Empty, errors) is not { } id)
        {
            return null;
        }

        if (id.Length is 0 or > MaxIdLength || id is "." or "..")
        {
            errors[name] = [$"Must be 1-{MaxIdLength} characters, and not '.' or '..'."];
            return null;
        }

        return id;
    }

    /// <summary>A JSON value as the text a model sees (a tool's input or output): strings as they are, anything else as JSON.</summary>
    public static string AsText(JsonElement value) =>
        value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Undefined or JsonValueKind.Null => string.Empty,
            _ => value.GetRawText(),
        };

    /// <summary>A tool call's arguments as JSON text: a value as JSON, a string as it is (some clients send the text).</summary>
    public static string AsArguments(JsonElement value) =>
        value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Undefined or JsonValueKind.Null => "{}",
            _ => value.GetRawText(),
        };
}
