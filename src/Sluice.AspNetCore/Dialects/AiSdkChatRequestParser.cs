using System.Buffers;
using System.Text;
using System.Text.Json;
using Sluice.Protocol;

namespace Sluice.AspNetCore.Dialects;

/// <summary>
/// Turns the body <c>useChat</c>'s <c>DefaultChatTransport</c> sends (<c>id</c>, <c>messages</c> of UI messages with
/// <c>parts</c>, <c>trigger</c>, <c>messageId</c>) into a run request, naming every field that is wrong.
/// </summary>
/// <remarks>
/// Parts become Sluice messages: <c>text</c> parts are the message's content; a tool part (<c>tool-{name}</c> or
/// <c>dynamic-tool</c>) is a call of the assistant turn, and its output (or error) a <c>tool</c> message answering it;
/// an assistant message with several steps becomes assistant and tool messages in step order. Reasoning, files,
/// sources and data parts are not sent to the model. The options of the native body (<c>model</c>, <c>maxTokens</c>,
/// <c>temperature</c>, <c>tools</c>) may be added with the transport's <c>body</c>; tools are otherwise the server's.
/// </remarks>
internal static class AiSdkChatRequestParser
{
    public static DialectParseResult<AiSdkChatRequest> Parse(ReadOnlySequence<byte> body)
    {
        using var document = DialectJson.ParseObject(body, out var syntaxError);
        if (document is null)
        {
            return DialectParseResult<AiSdkChatRequest>.Syntax(syntaxError!);
        }

        var root = document.RootElement;
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var chatId = DialectJson.RequiredId(root, "id", errors);
        var messages = ParseMessages(root, errors);
        var model = StreamRequestParser.OptionalString(root, "model", errors);
        var maxTokens = StreamRequestParser.OptionalPositiveInt(root, "maxTokens", errors);
        var temperature = StreamRequestParser.OptionalTemperature(root, errors);
        var tools = StreamRequestParser.ParseTools(root, errors);
        if (errors.Count == 0 && messages.Count == 0)
        {
            errors["messages"] = ["Must hold at least one message with text or tool calls."];
        }

        if (errors.Count > 0)
        {
            return DialectParseResult<AiSdkChatRequest>.Invalid(errors);
        }

        return DialectParseResult<AiSdkChatRequest>.Valid(new AiSdkChatRequest(chatId!, new StreamRequest(messages)
        {
            Model = model,
            MaxTokens = maxTokens,
            Temperature = temperature,
            Tools = tools,
        }));
    }

    private static List<StreamMessage> ParseMessages(JsonElement root, Dictionary<string, string[]> errors)
    {
        var messages = new List<StreamMessage>();
        if (!root.TryGetProperty("messages", out var array) || array.ValueKind == JsonValueKind.Null)
        {
            errors["messages"] = ["Required: an array of at least one {\"role\", \"parts\"} UI message."];
            return messages;
        }

        if (array.ValueKind != JsonValueKind.Array || array.GetArrayLength() == 0)
        {
            errors["messages"] = [array.ValueKind == JsonValueKind.Array ? "Must hold at least one message." : $"Must be an array, not {StreamRequestParser.Describe(array.ValueKind)}."];
            return messages;
        }

        var i = 0;
        foreach (var message in array.EnumerateArray())
        {
            ParseMessage(message, $"messages[{i++}]", messages, errors);
        }

        return messages;
    }

    private static void ParseMessage(JsonElement message, string path, List<StreamMessage> messages, Dictionary<string, string[]> errors)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            errors[path] = [$"Must be an object, not {StreamRequestParser.Describe(message.ValueKind)}."];
            return;
        }

        var role = StreamRequestParser.RequiredString(message, "role", path, errors) switch
        {
            null => (MessageRole?)null,
            "system" => MessageRole.System,
            "user" => MessageRole.User,
            "assistant" => MessageRole.Assistant,
            var other => Unknown(other),
        };

        MessageRole? Unknown(string value)
        {
            errors[$"{path}.role"] = [$"Unknown role '{value}'; expected 'system', 'user' or 'assistant'."];
            return null;
        }

        if (!message.TryGetProperty("parts", out var parts) || parts.ValueKind != JsonValueKind.Array)
        {
            errors[$"{path}.parts"] = [parts.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? "Required: an array of parts." : $"Must be an array, not {StreamRequestParser.Describe(parts.ValueKind)}."];
            return;
        }

        if (role is not { } known)
        {
            return;
        }

        if (known == MessageRole.Assistant)
        {
            ParseAssistantParts(parts, path, messages, errors);
            return;
        }

        messages.Add(new StreamMessage(known, ParseTextParts(parts, path, errors)));
    }

    /// <summary>A user or system message: its text parts, joined by blank lines; other parts are not text the model reads.</summary>
    private static string ParseTextParts(JsonElement parts, string path, Dictionary<string, string[]> errors)
    {
        var text = new StringBuilder();
        var i = 0;
        foreach (var part in parts.EnumerateArray())
        {
            var partPath = $"{path}.parts[{i++}]";
            if (PartType(part, partPath, errors) == "text" && StreamRequestParser.RequiredString(part, "text", partPath, errors) is { } partText)
            {
                text.Append(text.Length > 0 ? "\n\n" : string.Empty).Append(partText);
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// An assistant message, step by step: text and tool calls collect into one assistant turn; once a call has its
    /// output and more text follows, the turn ends (assistant message, then the tool results) and the next begins.
    /// </summary>
    private static void ParseAssistantParts(JsonElement parts, string path, List<StreamMessage> messages, Dictionary<string, string[]> errors)
    {
        var text = new StringBuilder();
        var calls = new List<MessageToolCall>();
        var results = new List<StreamMessage>();

        void EndTurn()
        {
            if (text.Length > 0 || calls.Count > 0)
            {
                messages.Add(new StreamMessage(MessageRole.Assistant, text.ToString()) { ToolCalls = [.. calls] });
            }

            messages.AddRange(results);
            text.Clear();
            calls.Clear();
            results.Clear();
        }

        var i = 0;
        foreach (var part in parts.EnumerateArray())
        {
            var partPath = $"{path}.parts[{i++}]";
            var type = PartType(part, partPath, errors);
            if (type == "text")
            {
                if (results.Count > 0)
                {
                    EndTurn();
                }

                text.Append(StreamRequestParser.RequiredString(part, "text", partPath, errors));
            }
            else if (type is not null && (type.StartsWith("tool-", StringComparison.Ordinal) || type == "dynamic-tool"))
            {
                var toolName = type == "dynamic-tool" ? StreamRequestParser.RequiredString(part, "toolName", partPath, errors) : type["tool-".Length..];
                var callId = StreamRequestParser.RequiredString(part, "toolCallId", partPath, errors);
                if (toolName is null || callId is null)
                {
                    continue;
                }

                calls.Add(new MessageToolCall(callId, toolName, DialectJson.AsArguments(part.TryGetProperty("input", out var input) ? input : default)));
                if (ToolResult(part) is { } result)
                {
                    results.Add(new StreamMessage(MessageRole.Tool, result) { ToolCallId = callId });
                }
            }
        }

        EndTurn();
    }

    /// <summary>What the model sees as the tool's answer: its output, or its error; none while the call is unanswered.</summary>
    private static string? ToolResult(JsonElement part)
    {
        var state = part.TryGetProperty("state", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
        return state switch
        {
            "output-available" => DialectJson.AsText(part.TryGetProperty("output", out var output) ? output : default),
            "output-error" => "Error: " + DialectJson.AsText(part.TryGetProperty("errorText", out var error) ? error : default),
            "output-denied" => "Error: the user denied this tool call.",
            _ => null,
        };
    }

    private static string? PartType(JsonElement part, string path, Dictionary<string, string[]> errors)
    {
        if (part.ValueKind != JsonValueKind.Object)
        {
            errors[path] = [$"Must be an object, not {StreamRequestParser.Describe(part.ValueKind)}."];
            return null;
        }

        return StreamRequestParser.RequiredString(part, "type", path, errors);
    }
}
