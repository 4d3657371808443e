using System.Buffers;
using System.Text;
using System.Text.Json;
using Sluice.Protocol;

namespace Sluice.AspNetCore.Dialects;

/// <summary>
/// Turns an AG-UI <c>RunAgentInput</c> (<c>threadId</c>, <c>runId</c>, <c>messages</c>, <c>tools</c>, <c>state</c>,
/// <c>context</c>, <c>forwardedProps</c>) into a run request, naming every field that is wrong.
/// </summary>
/// <remarks>
/// Messages: <c>developer</c> and <c>system</c> are system messages; <c>user</c> content is a string or text parts;
/// <c>assistant</c> messages carry <c>toolCalls</c> (<c>function.name</c>, <c>function.arguments</c>); <c>tool</c>
/// messages answer one by <c>toolCallId</c>. <c>reasoning</c> and <c>activity</c> messages are not sent to the model.
/// <c>context</c> entries become one system message before the conversation; <c>tools</c> have Sluice's own shape
/// (<c>name</c>, <c>description</c>, <c>parameters</c>) and are validated the same way. <c>state</c> and
/// <c>forwardedProps</c> are accepted and not used.
/// </remarks>
internal static class AgUiRunInputParser
{
    public static DialectParseResult<AgUiRunInput> Parse(ReadOnlySequence<byte> body)
    {
        using var document = DialectJson.ParseObject(body, out var syntaxError);
        if (document is null)
        {
            return DialectParseResult<AgUiRunInput>.Syntax(syntaxError!);
        }

        var root = document.RootElement;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var threadId = DialectJson.RequiredId(root, "threadId", errors);
        var runId = DialectJson.RequiredId(root, "runId", errors);
        var messages = new List<StreamMessage>();
        ParseContext(root, messages, errors);
        ParseMessages(root, messages, errors);
        var tools = StreamRequestParser.ParseTools(root, errors);
        if (errors.Count > 0)
        {
            return DialectParseResult<AgUiRunInput>.Invalid(errors);
        }

        return DialectParseResult<AgUiRunInput>.Valid(new AgUiRunInput(threadId!, runId!, new StreamRequest(messages) { Tools = tools }));
    }

    private static void ParseContext(JsonElement root, List<StreamMessage> messages, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty("context", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            errors["context"] = [$"Must be an array, not {StreamRequestParser.Describe(array.ValueKind)}."];
            return;
        }

        var text = new StringBuilder();
        var i = 0;
        foreach (var entry in array.EnumerateArray())
        {
            var path = $"context[{i++}]";
            if (entry.ValueKind != JsonValueKind.Object)
            {
                errors[path] = [$"Must be an object, not {StreamRequestParser.Describe(entry.ValueKind)}."];
                continue;
            }

            var description = StreamRequestParser.RequiredString(entry, "description", path, errors);
            var value = StreamRequestParser.RequiredString(entry, "value", path, errors);
            if (description is not null && value is not null)
            {
                text.Append(text.Length == 0 ? "Context:" : string.Empty).Append("\n- ").Append(description).Append(": ").Append(value);
            }
        }

        if (text.Length > 0)
        {
            messages.Add(new StreamMessage(MessageRole.System, text.ToString()));
        }
    }

    private static void ParseMessages(JsonElement root, List<StreamMessage> messages, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty("messages", out var array) || array.ValueKind != JsonValueKind.Array)
        {
            errors["messages"] = [array.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? "Required: an array of messages." : $"Must be an array, not {StreamRequestParser.Describe(array.ValueKind)}."];
            return;
        }

        var conversationStart = messages.Count;
        var i = 0;
        foreach (var message in array.EnumerateArray())
        {
            var path = $"messages[{i++}]";
            if (message.ValueKind != JsonValueKind.Object)
            {
                errors[path] = [$"Must be an object, not {StreamRequestParser.Describe(message.ValueKind)}."];
                continue;
            }

            switch (StreamRequestParser.RequiredString(message, "role", path, errors))
            {
                case "developer" or "system":
                    messages.Add(new StreamMessage(MessageRole.System, RequiredContent(message, path, errors)));
                    break;
                case "user":
                    messages.Add(new StreamMessage(MessageRole.User, RequiredContent(message, path, errors)));
                    break;
                case "assistant":
                    messages.Add(new StreamMessage(MessageRole.Assistant, OptionalContent(message, path, errors))
                    {
                        ToolCalls = ParseToolCalls(message, path, errors),
                    });
                    break;
                case "tool":
                    messages.Add(new StreamMessage(MessageRole.Tool, RequiredContent(message, path, errors))
                    {
                        ToolCallId = StreamRequestParser.RequiredString(message, "toolCallId", path, errors),
                    });
                    break;
                case "reasoning" or "activity" or null:
                    break; // Not conversation the model reads (or the role is missing, reported above).
                case var other:
                    errors[$"{path}.role"] = [$"Unknown role '{other}'; expected 'developer', 'system', 'user', 'assistant', 'tool', 'reasoning' or 'activity'."];
                    break;
            }
        }

        if (errors.Count == 0 && messages.Count == conversationStart)
        {
            errors["messages"] = ["Must hold at least one message the model can read."];
        }
    }

    private static MessageToolCall[] ParseToolCalls(JsonElement message, string path, Dictionary<string, string[]> errors)
    {
        if (!message.TryGetProperty("toolCalls", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        var field = $"{path}.toolCalls";
        if (array.ValueKind != JsonValueKind.Array)
        {
            errors[field] = [$"Must be an array, not {StreamRequestParser.Describe(array.ValueKind)}."];
            return [];
        }

        var calls = new List<MessageToolCall>();
        var i = 0;
        foreach (var call in array.EnumerateArray())
        {
            var callPath = $"{field}[{i++}]";
            if (call.ValueKind != JsonValueKind.Object || !call.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
            {
                errors[callPath] = ["Must be an object {\"id\", \"type\": \"function\", \"function\": {\"name\", \"arguments\"}}."];
                continue;
            }

            var id = StreamRequestParser.RequiredString(call, "id", callPath, errors);
            var name = StreamRequestParser.RequiredString(function, "name", $"{callPath}.function", errors);
            var arguments = StreamRequestParser.OptionalString(function, "arguments", errors, $"{callPath}.function");
            if (id is not null && name is not null)
            {
                calls.Add(new MessageToolCall(id, name, string.IsNullOrEmpty(arguments) ? "{}" : arguments));
            }
        }

        return [.. calls];
    }

    private static string RequiredContent(JsonElement message, string path, Dictionary<string, string[]> errors)
    {
        if (!message.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            errors[$"{path}.content"] = ["Required: a string or an array of content parts."];
            return string.Empty;
        }

        return ContentText(content, path, errors);
    }

    private static string OptionalContent(JsonElement message, string path, Dictionary<string, string[]> errors) =>
        message.TryGetProperty("content", out var content) && content.ValueKind != JsonValueKind.Null
            ? ContentText(content, path, errors)
            : string.Empty;

    /// <summary>A string as it is, or the text of text parts (media parts are not sent to the model).</summary>
    private static string ContentText(JsonElement content, string path, Dictionary<string, string[]> errors)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            errors[$"{path}.content"] = [$"Must be a string or an array of content parts, not {StreamRequestParser.Describe(content.ValueKind)}."];
            return string.Empty;
        }

        var text = new StringBuilder();
        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}.content[{i++}]";
            if (part.ValueKind != JsonValueKind.Object)
            {
                errors[partPath] = [$"Must be an object, not {StreamRequestParser.Describe(part.ValueKind)}."];
            }
            else if (StreamRequestParser.RequiredString(part, "type", partPath, errors) == "text"
                && StreamRequestParser.RequiredString(part, "text", partPath, errors) is { } partText)
            {
                text.Append(text.Length > 0 ? "\n\n" : string.Empty).Append(partText);
            }
        }

        return text.ToString();
    }
}
