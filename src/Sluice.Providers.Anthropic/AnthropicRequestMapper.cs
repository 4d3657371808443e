using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic.Models.Messages;
using Sluice.Protocol;

namespace Sluice.Providers.Anthropic;

/// <summary>Turns a <see cref="StreamRequest"/> into a Messages API request body.</summary>
/// <remarks>
/// The body is built as JSON and handed to the SDK raw: the SDK's typed builders have no <c>temperature</c>, and a tool's
/// JSON Schema must reach the API exactly as the caller wrote it.
/// </remarks>
internal static class AnthropicRequestMapper
{
    /// <summary>The forced tool's name when <see cref="ResponseFormat.Name"/> is unset.</summary>
    public const string DefaultResponseToolName = "response";

    private static readonly IReadOnlyDictionary<string, JsonElement> Empty = new Dictionary<string, JsonElement>();

    /// <summary>The name of the tool that carries structured output, or <see langword="null"/> without a response format.</summary>
    public static string? ResponseToolName(StreamRequest request) =>
        request.ResponseFormat is { } format ? (string.IsNullOrWhiteSpace(format.Name) ? DefaultResponseToolName : format.Name) : null;

    public static MessageCreateParams Map(StreamRequest request, AnthropicProviderOptions options)
    {
        var body = new Dictionary<string, JsonElement>
        {
            ["model"] = JsonSerializer.SerializeToElement(request.Model ?? options.Model),
            ["max_tokens"] = JsonSerializer.SerializeToElement(request.MaxTokens ?? options.MaxTokens),
        };

        var system = string.Join("\n\n", request.Messages.Where(m => m.Role == MessageRole.System).Select(m => m.Content));
        if (system.Length > 0)
        {
            body["system"] = JsonSerializer.SerializeToElement(system);
        }

        body["messages"] = ToElement(MapMessages(request.Messages));

        if (request.Temperature is { } temperature)
        {
            body["temperature"] = JsonSerializer.SerializeToElement(temperature);
        }

        var tools = new JsonArray();
        foreach (var tool in request.Tools)
        {
            var node = new JsonObject { ["name"] = tool.Name };
            if (!string.IsNullOrEmpty(tool.Description))
            {
                node["description"] = tool.Description;
            }

            node["input_schema"] = tool.Parameters is { } parameters ? JsonNode.Parse(parameters.GetRawText()) : new JsonObject { ["type"] = "object" };
            tools.Add(node);
        }

        if (ResponseToolName(request) is { } responseTool)
        {
            // Structured output rides on a forced tool: the model must call it, and its input is the object.
            tools.Add(new JsonObject
            {
                ["name"] = responseTool,
                ["description"] = "Give the answer as this tool's input, matching its schema exactly.",
                ["input_schema"] = JsonNode.Parse(request.ResponseFormat!.Schema.GetRawText()),
            });
            body["tool_choice"] = ToElement(new JsonObject { ["type"] = "tool", ["name"] = responseTool });
        }

        if (tools.Count > 0)
        {
            body["tools"] = ToElement(tools);
        }

        return MessageCreateParams.FromRawUnchecked(Empty, Empty, body);
    }

    private static JsonArray MapMessages(IReadOnlyList<StreamMessage> messages)
    {
        var result = new JsonArray();
        JsonArray? pendingUserBlocks = null;
        foreach (var message in messages)
        {
            switch (message.Role)
            {
                case MessageRole.System:
                    break;
                case MessageRole.Tool:
                    // Every result of one assistant turn must come back in the single user message after it.
                    pendingUserBlocks = UserBlocks(result, pendingUserBlocks);
                    pendingUserBlocks.Add(new JsonObject
                    {
                        ["type"] = "tool_result",
                        ["tool_use_id"] = message.ToolCallId,
                        ["content"] = message.Content,
                    });
                    break;
                case MessageRole.User when pendingUserBlocks is not null:
                    pendingUserBlocks.Add(new JsonObject { ["type"] = "text", ["text"] = message.Content });
                    break;
                case MessageRole.User:
                    result.Add(new JsonObject { ["role"] = "user", ["content"] = message.Content });
                    break;
                case MessageRole.Assistant:
                    pendingUserBlocks = null;
                    result.Add(new JsonObject { ["role"] = "assistant", ["content"] = AssistantContent(message) });
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(messages), message.Role, "Unknown message role.");
            }
        }

        return result;
    }

    private static JsonArray UserBlocks(JsonArray result, JsonArray? pending)
    {
        if (pending is not null)
        {
            return pending;
        }

        var blocks = new JsonArray();
        result.Add(new JsonObject { ["role"] = "user", ["content"] = blocks });
        return blocks;
    }

    private static JsonNode AssistantContent(StreamMessage message)
    {
        if (message.ToolCalls.Count == 0)
        {
            return JsonValue.Create(message.Content);
        }

        var blocks = new JsonArray();
        if (!string.IsNullOrEmpty(message.Content))
        {
            blocks.Add(new JsonObject { ["type"] = "text", ["text"] = message.Content });
        }

        foreach (var call in message.ToolCalls)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "tool_use",
                ["id"] = call.Id,
                ["name"] = call.Name,
                ["input"] = ParseInput(call.Arguments),
            });
        }

        return blocks;
    }

    // The API wants an object; arguments the model once sent malformed are replayed as an empty one rather than failing the turn.
    private static JsonObject ParseInput(string arguments)
    {
        try
        {
            return JsonNode.Parse(arguments) as JsonObject ?? [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static JsonElement ToElement(JsonNode node) => JsonSerializer.SerializeToElement(node);
}
