using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Sluice.Protocol;

namespace Sluice.Providers.ChatClient;

/// <summary>Any <see cref="IChatClient"/> as a Sluice provider.</summary>
/// <remarks>
/// The abstraction streams a tool call whole (a <see cref="FunctionCallContent"/> with parsed arguments), never in
/// fragments: each call becomes <c>tool_call_start</c>, one <c>tool_call_delta</c> with the whole arguments, and
/// <c>tool_call_end</c>. Live partial arguments need an SDK adapter (Anthropic, OpenAI). Thread-safe if the client is.
/// </remarks>
internal sealed class ChatClientStreamSource : IStreamSource
{
    // The abstraction's own options (they know its content types), written compactly as a model would send them.
    private static readonly JsonSerializerOptions s_arguments = new(AIJsonUtilities.DefaultOptions) { WriteIndented = false };

    private readonly IChatClient _client;

    public ChatClientStreamSource(IChatClient client, string defaultModel)
    {
        _client = client;
        DefaultModel = defaultModel;
    }

    public string DefaultModel { get; }

    public async IAsyncEnumerable<StreamEvent> StreamAsync(StreamRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var structured = request.ResponseFormat is not null;
        var usage = Usage.Zero;
        Microsoft.Extensions.AI.ChatFinishReason? finish = null;
        var calls = 0;
        await foreach (var update in _client.GetStreamingResponseAsync(ToMessages(request), ToOptions(request), cancellationToken).ConfigureAwait(false))
        {
            finish = update.FinishReason ?? finish;
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case TextContent { Text.Length: > 0 } text:
                        yield return structured ? new ObjectEvent(text.Text) : new TokenEvent(text.Text);
                        break;
                    case TextReasoningContent { Text.Length: > 0 } reasoning:
                        yield return new ReasoningEvent(reasoning.Text);
                        break;
                    case FunctionCallContent call:
                        var arguments = call.Arguments is null ? "{}" : JsonSerializer.Serialize(call.Arguments, s_arguments);
                        yield return new ToolCallStartEvent(call.CallId, call.Name, calls++);
                        yield return new ToolCallDeltaEvent(call.CallId, arguments);
                        yield return new ToolCallEndEvent(call.CallId, arguments, Valid: true);
                        break;
                    case UsageContent { Details: var details }:
                        usage = new Usage(details.InputTokenCount ?? usage.InputTokens, details.OutputTokenCount ?? usage.OutputTokens);
                        break;
                }
            }
        }

        yield return new DoneEvent(ToFinishReason(finish, calls), usage);
    }

    private static FinishReason ToFinishReason(Microsoft.Extensions.AI.ChatFinishReason? reason, int calls)
    {
        if (reason is not { } value)
        {
            return calls > 0 ? FinishReason.ToolCalls : FinishReason.Stop;
        }

        if (value == Microsoft.Extensions.AI.ChatFinishReason.Length)
        {
            return FinishReason.Length;
        }

        if (value == Microsoft.Extensions.AI.ChatFinishReason.ToolCalls)
        {
            return FinishReason.ToolCalls;
        }

        return value == Microsoft.Extensions.AI.ChatFinishReason.ContentFilter ? FinishReason.ContentFilter : FinishReason.Stop;
    }

    private static List<ChatMessage> ToMessages(StreamRequest request)
    {
        var messages = new List<ChatMessage>(request.Messages.Count);
        foreach (var message in request.Messages)
        {
            messages.Add(message.Role switch
            {
                MessageRole.System => new ChatMessage(ChatRole.System, message.Content),
                MessageRole.User => new ChatMessage(ChatRole.User, message.Content),
                MessageRole.Tool => new ChatMessage(ChatRole.Tool, [new FunctionResultContent(message.ToolCallId ?? string.Empty, message.Content)]),
                _ => new ChatMessage(ChatRole.Assistant, AssistantContents(message)),
            });
        }

        return messages;
    }

    private static List<AIContent> AssistantContents(StreamMessage message)
    {
        var contents = new List<AIContent>();
        if (message.Content.Length > 0)
        {
            contents.Add(new TextContent(message.Content));
        }

        foreach (var call in message.ToolCalls)
        {
            contents.Add(new FunctionCallContent(call.Id, call.Name, JsonSerializer.Deserialize<Dictionary<string, object?>>(call.Arguments, s_arguments)));
        }

        return contents;
    }

    private static ChatOptions ToOptions(StreamRequest request)
    {
        var options = new ChatOptions
        {
            ModelId = request.Model,
            MaxOutputTokens = request.MaxTokens,
            Temperature = (float?)request.Temperature,
        };

        if (request.Tools.Count > 0)
        {
            options.Tools = [.. request.Tools.Select(tool => (AITool)AIFunctionFactory.CreateDeclaration(
                tool.Name,
                tool.Description ?? string.Empty,
                tool.Parameters ?? JsonElement.Parse("""{"type":"object"}""")))];
        }

        if (request.ResponseFormat is { } format)
        {
            options.ResponseFormat = ChatResponseFormat.ForJsonSchema(format.Schema, format.Name ?? "response");
        }

        return options;
    }
}
