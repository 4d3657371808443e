using OpenAI.Responses;
using Sluice.Protocol;
using MessageRole = Sluice.Protocol.MessageRole;

namespace Sluice.Providers.OpenAI;

/// <summary>Turns a Sluice request into Responses API options.</summary>
internal static class ResponsesRequestMapper
{
    public static CreateResponseOptions Map(StreamRequest request, string model)
    {
        var options = new CreateResponseOptions
        {
            Model = model,
            StreamingEnabled = true,
            MaxOutputTokenCount = request.MaxTokens,
            Temperature = request.Temperature is { } temperature ? (float)temperature : null,
        };
        foreach (var message in request.Messages)
        {
            AddItems(options.InputItems, message);
        }

        foreach (var tool in request.Tools)
        {
            options.Tools.Add(ResponseTool.CreateFunctionTool(tool.Name, ToolSchemas.Parameters(tool), strictModeEnabled: false, tool.Description));
        }

        if (request.ResponseFormat is { } format)
        {
            // strict false, as for Chat Completions: the gateway validates the final object itself.
            options.TextOptions = new ResponseTextOptions
            {
                TextFormat = ResponseTextFormat.CreateJsonSchemaFormat(
                    ToolSchemas.FormatName(format), BinaryData.FromString(format.Schema.GetRawText()), jsonSchemaFormatDescription: null, jsonSchemaIsStrict: false),
            };
        }

        return options;
    }

    private static void AddItems(IList<ResponseItem> items, StreamMessage message)
    {
        switch (message.Role)
        {
            case MessageRole.System:
                items.Add(ResponseItem.CreateSystemMessageItem(message.Content));
                break;
            case MessageRole.User:
                items.Add(ResponseItem.CreateUserMessageItem(message.Content));
                break;
            case MessageRole.Assistant:
                if (!string.IsNullOrEmpty(message.Content) || message.ToolCalls.Count == 0)
                {
                    items.Add(ResponseItem.CreateAssistantMessageItem(message.Content, []));
                }

                // In the Responses API a call is its own input item, after the assistant's words.
                foreach (var call in message.ToolCalls)
                {
                    items.Add(ResponseItem.CreateFunctionCallItem(
                        call.Id, call.Name, BinaryData.FromString(string.IsNullOrEmpty(call.Arguments) ? "{}" : call.Arguments)));
                }

                break;
            case MessageRole.Tool:
                if (string.IsNullOrWhiteSpace(message.ToolCallId))
                {
                    throw new ArgumentException("Messages: a tool message needs ToolCallId for OpenAI.", nameof(message));
                }

                items.Add(ResponseItem.CreateFunctionCallOutputItem(message.ToolCallId, message.Content));
                break;
            default:
                throw new ArgumentException($"Messages: role {message.Role} cannot be sent to OpenAI.", nameof(message));
        }
    }
}
