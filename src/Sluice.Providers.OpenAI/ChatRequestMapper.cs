using OpenAI.Chat;
using Sluice.Protocol;

namespace Sluice.Providers.OpenAI;

/// <summary>Turns a Sluice request into Chat Completions messages and options.</summary>
internal static class ChatRequestMapper
{
    public static List<ChatMessage> MapMessages(StreamRequest request)
    {
        var messages = new List<ChatMessage>(request.Messages.Count);
        foreach (var message in request.Messages)
        {
            messages.Add(message.Role switch
            {
                MessageRole.System => new SystemChatMessage(message.Content),
                MessageRole.User => new UserChatMessage(message.Content),
                MessageRole.Assistant => MapAssistant(message),
                MessageRole.Tool => new ToolChatMessage(RequireToolCallId(message), message.Content),
                _ => throw new ArgumentException($"Messages: role {message.Role} cannot be sent to OpenAI.", nameof(request)),
            });
        }

        return messages;
    }

    public static ChatCompletionOptions MapOptions(StreamRequest request)
    {
        var options = new ChatCompletionOptions
        {
            MaxOutputTokenCount = request.MaxTokens,
            Temperature = request.Temperature is { } temperature ? (float)temperature : null,
        };
        foreach (var tool in request.Tools)
        {
            options.Tools.Add(ChatTool.CreateFunctionTool(tool.Name, tool.Description, ToolSchemas.Parameters(tool), functionSchemaIsStrict: null));
        }

        if (request.ResponseFormat is { } format)
        {
            // strict false: strict mode rejects schemas the gateway accepts (optional properties, formats); the gateway
            // validates the final object itself.
            options.ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat(
                ToolSchemas.FormatName(format), BinaryData.FromString(format.Schema.GetRawText()), jsonSchemaFormatDescription: null, jsonSchemaIsStrict: false);
        }

        return options;
    }

    private static AssistantChatMessage MapAssistant(StreamMessage message)
    {
        if (message.ToolCalls.Count == 0)
        {
            return new AssistantChatMessage(message.Content);
        }

        var calls = message.ToolCalls.Select(call =>
            ChatToolCall.CreateFunctionToolCall(call.Id, call.Name, BinaryData.FromString(string.IsNullOrEmpty(call.Arguments) ? "{}" : call.Arguments)));
        var assistant = new AssistantChatMessage(calls);
        if (!string.IsNullOrEmpty(message.Content))
        {
            assistant.Content.Add(ChatMessageContentPart.CreateTextPart(message.Content));
        }

        return assistant;
    }

    private static string RequireToolCallId(StreamMessage message) =>
        !string.IsNullOrWhiteSpace(message.ToolCallId)
            ? message.ToolCallId
            : throw new ArgumentException("Messages: a tool message needs ToolCallId for OpenAI.", nameof(message));
}
