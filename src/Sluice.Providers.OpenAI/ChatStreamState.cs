using System.Text;
using System.Text.Json;
using OpenAI.Chat;
using Sluice.Protocol;

namespace Sluice.Providers.OpenAI;

/// <summary>What one Chat Completions stream has said so far: open tool calls, finish reason, usage.</summary>
internal sealed class ChatStreamState
{
    private readonly SortedDictionary<int, ToolCall> _calls = [];
    private FinishReason? _finishReason;
    private bool _refused;
    private Usage? _usage;
    private int _callCount;

    /// <summary>An error chunk the provider sent inside its stream, once read.</summary>
    public ErrorEvent? Error { get; private set; }

    /// <summary>The events one chunk yields.</summary>
    public IEnumerable<StreamEvent> Read(StreamingChatCompletionUpdate update, bool structured)
    {
        var events = new List<StreamEvent>();
        // A mid-stream {"error": …} chunk parses as an empty update; the SDK keeps unknown properties in its patch.
        if (update.Patch.TryGetJson("$.error"u8, out var errorJson))
        {
            using var document = JsonDocument.Parse(errorJson);
            Error = OpenAIErrors.FromErrorObject(document.RootElement);
            return events;
        }

        ReadReasoning(update, events);
        foreach (var part in update.ContentUpdate)
        {
            if (part.Kind == ChatMessageContentPartKind.Text && !string.IsNullOrEmpty(part.Text))
            {
                events.Add(structured ? new ObjectEvent(part.Text) : new TokenEvent(part.Text));
            }
        }

        // A refusal is the model's answer in words: pass it on as text so the client can show it, and let the finish
        // reason say it was a refusal (the provider reports a plain "stop").
        if (!string.IsNullOrEmpty(update.RefusalUpdate))
        {
            _refused = true;
            events.Add(new TokenEvent(update.RefusalUpdate));
        }

        foreach (var fragment in update.ToolCallUpdates)
        {
            ReadToolCall(fragment, events);
        }

        if (update.FinishReason is { } finish)
        {
            _finishReason = _refused && finish == ChatFinishReason.Stop ? FinishReason.ContentFilter : Map(finish);
            CloseAll(events);
        }

        if (update.Usage is { } usage)
        {
            _usage = new Usage(usage.InputTokenCount, usage.OutputTokenCount);
        }

        return events;
    }

    /// <summary>The terminal event once the stream has ended cleanly.</summary>
    public StreamEvent Finish() => _finishReason is { } reason
        ? new DoneEvent(reason, _usage ?? Usage.Zero)
        : UpstreamErrors.Truncated();

    private static FinishReason Map(ChatFinishReason reason) => reason switch
    {
        ChatFinishReason.Stop => FinishReason.Stop,
        ChatFinishReason.Length => FinishReason.Length,
        ChatFinishReason.ToolCalls or ChatFinishReason.FunctionCall => FinishReason.ToolCalls,
        ChatFinishReason.ContentFilter => FinishReason.ContentFilter,
        _ => new FinishReason(reason.ToString().ToLowerInvariant()),
    };

    // OpenAI-compatible servers stream reasoning as delta.reasoning (Ollama, OpenRouter) or delta.reasoning_content
    // (DeepSeek, vLLM); the SDK has no property for either but keeps them in the update's patch.
    private static void ReadReasoning(StreamingChatCompletionUpdate update, List<StreamEvent> events)
    {
        foreach (var path in ReasoningPaths)
        {
            if (update.Patch.TryGetJson(path.Span, out var json))
            {
                using var document = JsonDocument.Parse(json);
                if (document.RootElement.ValueKind == JsonValueKind.String && document.RootElement.GetString() is { Length: > 0 } text)
                {
                    events.Add(new ReasoningEvent(text));
                }
            }
        }
    }

    private static readonly ReadOnlyMemory<byte>[] ReasoningPaths =
    [
        "$.choices[0].delta.reasoning"u8.ToArray(),
        "$.choices[0].delta.reasoning_content"u8.ToArray(),
    ];

    private void ReadToolCall(StreamingChatToolCallUpdate fragment, List<StreamEvent> events)
    {
        var hasId = !string.IsNullOrEmpty(fragment.ToolCallId);
        if (!_calls.TryGetValue(fragment.Index, out var call) || (hasId && call.Id != fragment.ToolCallId && !call.Ended))
        {
            // A new id on a known index: a server that sends whole calls all at index 0; the earlier one is complete.
            if (call is not null)
            {
                Close(call, events);
            }

            // Some compatible servers send no id; the protocol needs one to tie the events together.
            var id = hasId ? fragment.ToolCallId : $"call_{fragment.Index}";
            call = new ToolCall(id, fragment.FunctionName ?? string.Empty);
            _calls[fragment.Index] = call;
            events.Add(new ToolCallStartEvent(call.Id, call.Name, _callCount++));
        }

        var arguments = fragment.FunctionArgumentsUpdate?.ToString();
        if (!string.IsNullOrEmpty(arguments) && !call.Ended)
        {
            call.Arguments.Append(arguments);
            events.Add(new ToolCallDeltaEvent(call.Id, arguments));
        }
    }

    private void CloseAll(List<StreamEvent> events)
    {
        foreach (var call in _calls.Values)
        {
            Close(call, events);
        }
    }

    private static void Close(ToolCall call, List<StreamEvent> events)
    {
        if (!call.Ended)
        {
            call.Ended = true;
            events.Add(new ToolCallEndEvent(call.Id, call.Arguments.ToString(), Valid: true));
        }
    }

    private sealed class ToolCall(string id, string name)
    {
        public string Id { get; } = id;

        public string Name { get; } = name;

        public StringBuilder Arguments { get; } = new();

        public bool Ended { get; set; }
    }
}
