using System.Text;
using OpenAI.Responses;
using Sluice.Protocol;

namespace Sluice.Providers.OpenAI;

/// <summary>What one Responses stream has said so far: the function calls by item id, and the terminal event.</summary>
internal sealed class ResponsesStreamState(bool structured)
{
    private readonly Dictionary<string, ToolCall> _callsByItemId = [];
    private readonly Dictionary<int, ToolCall> _callsByOutputIndex = [];
    private int _callCount;
    private bool _refused;

    /// <summary>The terminal event, once the stream has sent one.</summary>
    public StreamEvent? Terminal { get; private set; }

    public List<StreamEvent> Read(StreamingResponseUpdate update)
    {
        var events = new List<StreamEvent>();
        switch (update)
        {
            case StreamingResponseOutputTextDeltaUpdate text when !string.IsNullOrEmpty(text.Delta):
                events.Add(structured ? new ObjectEvent(text.Delta) : new TokenEvent(text.Delta));
                break;
            case StreamingResponseRefusalDeltaUpdate refusal when !string.IsNullOrEmpty(refusal.Delta):
                // The model declined, in words: show them as the answer, and say so in the finish reason.
                _refused = true;
                events.Add(new TokenEvent(refusal.Delta));
                break;
            case StreamingResponseReasoningSummaryTextDeltaUpdate summary when !string.IsNullOrEmpty(summary.Delta):
                events.Add(new ReasoningEvent(summary.Delta));
                break;
            case StreamingResponseReasoningTextDeltaUpdate reasoning when !string.IsNullOrEmpty(reasoning.Delta):
                events.Add(new ReasoningEvent(reasoning.Delta));
                break;
            case StreamingResponseOutputItemAddedUpdate { Item: FunctionCallResponseItem item } added:
                Open(item, added.OutputIndex, events);
                break;
            case StreamingResponseFunctionCallArgumentsDeltaUpdate delta:
                if (Find(delta.ItemId, delta.OutputIndex) is { Ended: false } call && delta.Delta?.ToString() is { Length: > 0 } fragment)
                {
                    call.Arguments.Append(fragment);
                    events.Add(new ToolCallDeltaEvent(call.Id, fragment));
                }

                break;
            case StreamingResponseFunctionCallArgumentsDoneUpdate done:
                if (Find(done.ItemId, done.OutputIndex) is { } doneCall)
                {
                    Close(doneCall, done.FunctionArguments?.ToString(), events);
                }

                break;
            case StreamingResponseOutputItemDoneUpdate { Item: FunctionCallResponseItem item } itemDone:
                var ended = Find(item.Id, itemDone.OutputIndex) ?? Open(item, itemDone.OutputIndex, events);
                Close(ended, item.FunctionArguments?.ToString(), events);
                break;
            case StreamingResponseCompletedUpdate completed:
                CloseAll(events);
                Terminal = new DoneEvent(
                    _refused ? FinishReason.ContentFilter : _callCount > 0 ? FinishReason.ToolCalls : FinishReason.Stop,
                    UsageOf(completed.Response));
                break;
            case StreamingResponseIncompleteUpdate incomplete:
                CloseAll(events);
                Terminal = new DoneEvent(IncompleteReason(incomplete.Response), UsageOf(incomplete.Response));
                break;
            case StreamingResponseFailedUpdate failed:
                Terminal = OpenAIErrors.InStream(failed.Response?.Error?.Code.ToString(), failed.Response?.Error?.Message);
                break;
            case StreamingResponseErrorUpdate error:
                Terminal = OpenAIErrors.InStream(error.Code, error.Message);
                break;
            default:
                // Lifecycle events (created, in_progress, content_part.*, output_text.done, …) carry nothing new.
                break;
        }

        return events;
    }

    private static Usage UsageOf(ResponseResult? response) =>
        response?.Usage is { } usage ? new Usage(usage.InputTokenCount, usage.OutputTokenCount) : Usage.Zero;

    private static FinishReason IncompleteReason(ResponseResult? response)
    {
        var reason = response?.IncompleteStatusDetails?.Reason;
        if (reason == ResponseIncompleteStatusReason.MaxOutputTokens)
        {
            return FinishReason.Length;
        }

        if (reason == ResponseIncompleteStatusReason.ContentFilter)
        {
            return FinishReason.ContentFilter;
        }

        return reason is { } other ? new FinishReason(other.ToString()) : FinishReason.Length;
    }

    private ToolCall Open(FunctionCallResponseItem item, int outputIndex, List<StreamEvent> events)
    {
        // The call id ties the result back in the next request; the item id (fc_…) is only the stream's own key.
        var call = new ToolCall(string.IsNullOrEmpty(item.CallId) ? item.Id ?? $"call_{outputIndex}" : item.CallId);
        if (item.Id is not null)
        {
            _callsByItemId[item.Id] = call;
        }

        _callsByOutputIndex[outputIndex] = call;
        events.Add(new ToolCallStartEvent(call.Id, item.FunctionName ?? string.Empty, _callCount++));
        return call;
    }

    private ToolCall? Find(string? itemId, int outputIndex) =>
        itemId is not null && _callsByItemId.TryGetValue(itemId, out var call) ? call
        : _callsByOutputIndex.TryGetValue(outputIndex, out call) ? call
        : null;

    private static void Close(ToolCall call, string? finalArguments, List<StreamEvent> events)
    {
        if (call.Ended)
        {
            return;
        }

        // A server that sends the arguments only whole still owes the client its deltas.
        if (call.Arguments.Length == 0 && !string.IsNullOrEmpty(finalArguments))
        {
            call.Arguments.Append(finalArguments);
            events.Add(new ToolCallDeltaEvent(call.Id, finalArguments));
        }

        call.Ended = true;
        events.Add(new ToolCallEndEvent(call.Id, call.Arguments.ToString(), Valid: true));
    }

    private void CloseAll(List<StreamEvent> events)
    {
        foreach (var call in _callsByOutputIndex.Values)
        {
            Close(call, null, events);
        }
    }

    private sealed class ToolCall(string id)
    {
        public string Id { get; } = id;

        public StringBuilder Arguments { get; } = new();

        public bool Ended { get; set; }
    }
}
