using System.Buffers;
using System.Text.Json;
using Sluice.AspNetCore.Validation;
using Sluice.Protocol;

namespace Sluice.AspNetCore;

/// <summary>
/// Turns a <c>POST /v1/streams</c> body into a <see cref="StreamRequest"/>, or says precisely what is wrong with it.
/// </summary>
/// <remarks>
/// Hand-written over <see cref="JsonDocument"/> rather than <see cref="JsonSerializer"/> because each error must name
/// the offending field (<c>messages[1].role</c>) and every error should be reported at once, not only the first.
/// Unknown properties are ignored so that newer clients work with older gateways.
/// </remarks>
internal static class StreamRequestParser
{
    private const int MaxToolNameLength = 64;

    public static StreamRequestParseResult Parse(ReadOnlySequence<byte> body)
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
            return StreamRequestParseResult.Syntax($"The body is not valid JSON (line {line}, byte {column}): {FirstSentence(ex.Message)}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return StreamRequestParseResult.Syntax($"The body must be a JSON object, not {Describe(root.ValueKind)}.");
            }

            var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
            var messages = ParseMessages(root, errors);
            var model = OptionalString(root, "model", errors);
            var maxTokens = OptionalPositiveInt(root, "maxTokens", errors);
            var temperature = OptionalTemperature(root, errors);
            var tools = ParseTools(root, errors);
            var responseFormat = ParseResponseFormat(root, errors);

            if (errors.Count > 0)
            {
                return StreamRequestParseResult.Invalid(errors);
            }

            return StreamRequestParseResult.Valid(new StreamRequest(messages)
            {
                Model = model,
                MaxTokens = maxTokens,
                Temperature = temperature,
                Tools = tools,
                ResponseFormat = responseFormat,
            });
        }
    }

    private static StreamMessage[] ParseMessages(JsonElement root, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty("messages", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            errors["messages"] = ["Required: an array of at least one {\"role\", \"content\"} message."];
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            errors["messages"] = [$"Must be an array, not {Describe(array.ValueKind)}."];
            return [];
        }

        if (array.GetArrayLength() == 0)
        {
            errors["messages"] = ["Must hold at least one message."];
            return [];
        }

        var messages = new StreamMessage[array.GetArrayLength()];
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"messages[{i}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors[path] = [$"Must be an object, not {Describe(item.ValueKind)}."];
            }
            else
            {
                var role = ParseRole(item, path, errors);
                var content = RequiredString(item, "content", path, errors);
                messages[i] = new StreamMessage(role, content ?? string.Empty)
                {
                    ToolCallId = ParseToolCallId(item, role, path, errors),
                    ToolCalls = ParseMessageToolCalls(item, role, path, errors),
                };
            }

            i++;
        }

        return messages;
    }

    private static MessageRole ParseRole(JsonElement message, string path, Dictionary<string, string[]> errors)
    {
        var role = RequiredString(message, "role", path, errors);
        switch (role)
        {
            case null:
                return default;
            case "system":
                return MessageRole.System;
            case "user":
                return MessageRole.User;
            case "assistant":
                return MessageRole.Assistant;
            case "tool":
                return MessageRole.Tool;
            default:
                errors[$"{path}.role"] = [$"Unknown role '{role}'; expected 'system', 'user', 'assistant' or 'tool'."];
                return default;
        }
    }

    private static string? ParseToolCallId(JsonElement message, MessageRole role, string path, Dictionary<string, string[]> errors)
    {
        if (role == MessageRole.Tool)
        {
            return RequiredString(message, "toolCallId", path, errors);
        }

        if (message.TryGetProperty("toolCallId", out var id) && id.ValueKind != JsonValueKind.Null)
        {
            errors[$"{path}.toolCallId"] = ["Only a 'tool' message answers a tool call."];
        }

        return null;
    }

    private static MessageToolCall[] ParseMessageToolCalls(JsonElement message, MessageRole role, string path, Dictionary<string, string[]> errors)
    {
        if (!message.TryGetProperty("toolCalls", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        var field = $"{path}.toolCalls";
        if (role != MessageRole.Assistant)
        {
            errors[field] = ["Only an 'assistant' message carries tool calls."];
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            errors[field] = [$"Must be an array, not {Describe(array.ValueKind)}."];
            return [];
        }

        var calls = new List<MessageToolCall>(array.GetArrayLength());
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var callPath = $"{field}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors[callPath] = [$"Must be an object, not {Describe(item.ValueKind)}."];
                continue;
            }

            var id = RequiredString(item, "id", callPath, errors);
            var name = RequiredString(item, "name", callPath, errors);
            var arguments = OptionalString(item, "arguments", errors, callPath) ?? "{}";
            if (id is not null && name is not null)
            {
                calls.Add(new MessageToolCall(id, name, arguments));
            }
        }

        return [.. calls];
    }

    internal static ToolDefinition[] ParseTools(JsonElement root, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty("tools", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            errors["tools"] = [$"Must be an array, not {Describe(array.ValueKind)}."];
            return [];
        }

        var tools = new List<ToolDefinition>(array.GetArrayLength());
        var names = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"tools[{i++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors[path] = [$"Must be an object, not {Describe(item.ValueKind)}."];
                continue;
            }

            var name = RequiredString(item, "name", path, errors);
            if (name is not null && !IsValidToolName(name))
            {
                errors[$"{path}.name"] = [$"Must be 1-{MaxToolNameLength} characters of letters, digits, '_' or '-'."];
            }
            else if (name is not null && !names.Add(name))
            {
                errors[$"{path}.name"] = [$"Duplicate tool name '{name}'."];
            }

            var description = OptionalString(item, "description", errors, path);
            JsonElement? parameters = null;
            if (item.TryGetProperty("parameters", out var schema) && schema.ValueKind != JsonValueKind.Null)
            {
                if (schema.ValueKind == JsonValueKind.Object)
                {
                    parameters = schema.Clone();
                    if (ArgumentSchema.TryCreate(schema, out var schemaError) is null)
                    {
                        errors[$"{path}.parameters"] = [schemaError!];
                    }
                }
                else
                {
                    errors[$"{path}.parameters"] = [$"Must be a JSON Schema object, not {Describe(schema.ValueKind)}."];
                }
            }

            if (name is not null)
            {
                tools.Add(new ToolDefinition(name, description, parameters));
            }
        }

        return [.. tools];
    }

    private static ResponseFormat? ParseResponseFormat(JsonElement root, Dictionary<string, string[]> errors)
    {
        const string Path = "responseFormat";
        if (!root.TryGetProperty(Path, out var format) || format.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (format.ValueKind != JsonValueKind.Object)
        {
            errors[Path] = [$"Must be an object {{\"type\": \"json_schema\", \"schema\": {{...}}}}, not {Describe(format.ValueKind)}."];
            return null;
        }

        var type = RequiredString(format, "type", Path, errors);
        if (type is not null && type != "json_schema")
        {
            errors[$"{Path}.type"] = [$"Unknown type '{type}'; expected 'json_schema'."];
        }

        var name = OptionalString(format, "name", errors, Path);
        if (!format.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
        {
            errors[$"{Path}.schema"] = ["Required: a JSON Schema object."];
            return null;
        }

        if (ArgumentSchema.TryCreate(schema, out var schemaError) is null)
        {
            errors[$"{Path}.schema"] = [schemaError!];
            return null;
        }

        return new ResponseFormat(schema.Clone(), name);
    }

    private static bool IsValidToolName(string name) =>
        name.Length is > 0 and <= MaxToolNameLength && name.AsSpan().IndexOfAnyExcept(ToolNameCharacters) < 0;

    private static readonly SearchValues<char> ToolNameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-");

    /// <summary>A required string property; its error is keyed <c>{path}.{name}</c> (just <c>{name}</c> at the top level, path empty).</summary>
    internal static string? RequiredString(JsonElement parent, string name, string path, Dictionary<string, string[]> errors)
    {
        var field = path.Length == 0 ? name : $"{path}.{name}";
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors[field] = ["Required: a string."];
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors[field] = [$"Must be a string, not {Describe(value.ValueKind)}."];
            return null;
        }

        return value.GetString();
    }

    internal static string? OptionalString(JsonElement parent, string name, Dictionary<string, string[]> errors, string? path = null)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var field = path is null ? name : $"{path}.{name}";
        if (value.ValueKind != JsonValueKind.String)
        {
            errors[field] = [$"Must be a string, not {Describe(value.ValueKind)}."];
            return null;
        }

        return value.GetString();
    }

    internal static int? OptionalPositiveInt(JsonElement parent, string name, Dictionary<string, string[]> errors)
    {
        if (!parent.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var number) || number <= 0)
        {
            errors[name] = [$"Must be a positive integer, not {Describe(value)}."];
            return null;
        }

        return number;
    }

    internal static double? OptionalTemperature(JsonElement parent, Dictionary<string, string[]> errors)
    {
        if (!parent.TryGetProperty("temperature", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var number) || number is < 0 or > 2)
        {
            errors["temperature"] = [$"Must be a number from 0 to 2, not {Describe(value)}."];
            return null;
        }

        return number;
    }

    private static string Describe(JsonElement value) =>
        value.ValueKind == JsonValueKind.Number ? value.GetRawText() : Describe(value.ValueKind);

    internal static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    // System.Text.Json appends its own "LineNumber: … | BytePositionInLine: …" suffix; the position is reported once, above.
    internal static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        return cut < 0 ? message : message[..cut].TrimEnd();
    }
}
