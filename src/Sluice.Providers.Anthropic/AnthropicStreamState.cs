using System.Text;
using Anthropic.Models.Messages;
using Sluice.Protocol;

namespace Sluice.Providers.Anthropic;

/// <summary>What one call has seen so far: open tool-use blocks, usage, the stop reason.</summary>
internal sealed class AnthropicStreamState
{
    private readonly string? _responseTool;
    private readonly Dictionary<long, ToolBlock> _tools = [];
    private readonly HashSet<long> _objectBlocks = [];
    private int _nextToolIndex;
    private long _inputTokens;
    private long _outputTokens;
    private string? _stopReason;

    public AnthropicStreamState(string? responseTool) => _responseTool = responseTool;

    /// <summary>Whether message_stop has arrived.</summary>
    public bool Finished { get; private set; }

    public IEnumerable<StreamEvent> Map(RawMessageStreamEvent raw)
    {
        if (raw.TryPickContentBlockDelta(out var delta))
        {
            return MapDelta(delta);
        }

        if (raw.TryPickContentBlockStart(out var start))
        {
            return MapStart(start);
        }

        if (raw.TryPickContentBlockStop(out var stop))
        {
            return MapStop(stop);
        }

        if (raw.TryPickStart(out var messageStart))
        {
            _inputTokens = messageStart.Message.Usage.InputTokens;
            _outputTokens = messageStart.Message.Usage.OutputTokens;
        }
        else if (raw.TryPickDelta(out var messageDelta))
        {
            // message_delta carries cumulative totals: they replace what message_start said, never add to it.
            if (messageDelta.Usage.InputTokens is { } input)
            {
                _inputTokens = input;
            }

            _outputTokens = messageDelta.Usage.OutputTokens;
            if (messageDelta.Delta.StopReason is { } reason)
            {
                _stopReason = reason.Raw();
            }
        }
        else if (raw.TryPickStop(out _))
        {
            Finished = true;
        }

        return [];
    }

    public DoneEvent Done() => new(FinishReasonOf(_stopReason), new Sluice.Protocol.Usage(_inputTokens, _outputTokens));

    private FinishReason FinishReasonOf(string? stopReason) => stopReason switch
    {
        null or "end_turn" or "stop_sequence" => FinishReason.Stop,
        // With a response format the tool call is how the answer arrives, not a request to run a tool.
        "tool_use" when _responseTool is not null && _tools.Count == 0 && _objectBlocks.Count > 0 => FinishReason.Stop,
        "tool_use" => FinishReason.ToolCalls,
        "max_tokens" => FinishReason.Length,
        "refusal" => FinishReason.ContentFilter,
        _ => new FinishReason(stopReason),
    };

    private IEnumerable<StreamEvent> MapStart(RawContentBlockStartEvent start)
    {
        if (!start.ContentBlock.TryPickToolUse(out var toolUse))
        {
            // Text and thinking blocks open empty; server tool use is run by the provider, not the client.
            return [];
        }

        if (_responseTool is not null && toolUse.Name == _responseTool)
        {
            _objectBlocks.Add(start.Index);
            return [];
        }

        var block = new ToolBlock(toolUse.ID, _nextToolIndex++);
        _tools[start.Index] = block;
        return [new ToolCallStartEvent(toolUse.ID, toolUse.Name, block.Index)];
    }

    private IEnumerable<StreamEvent> MapDelta(RawContentBlockDeltaEvent delta)
    {
        if (delta.Delta.TryPickText(out var text))
        {
            return string.IsNullOrEmpty(text.Text) ? [] : [new TokenEvent(text.Text)];
        }

        if (delta.Delta.TryPickThinking(out var thinking))
        {
            return string.IsNullOrEmpty(thinking.Thinking) ? [] : [new ReasoningEvent(thinking.Thinking)];
        }

        if (delta.Delta.TryPickInputJson(out var json) && !string.IsNullOrEmpty(json.PartialJson))
        {
            if (_tools.TryGetValue(delta.Index, out var block))
            {
                block.Arguments.Append(json.PartialJson);
                return [new ToolCallDeltaEvent(block.Id, json.PartialJson)];
            }

            if (_objectBlocks.Contains(delta.Index))
            {
                return [new ObjectEvent(json.PartialJson)];
            }
        }

        // Signatures, citations, and deltas of skipped (server tool) blocks.
        return [];
    }

    private IEnumerable<StreamEvent> MapStop(RawContentBlockStopEvent stop)
    {
        if (!_tools.TryGetValue(stop.Index, out var block))
        {
            return [];
        }

        // A tool with no parameters gets only an empty fragment: its input is the empty object.
        var arguments = block.Arguments.Length == 0 ? "{}" : block.Arguments.ToString();
        return [new ToolCallEndEvent(block.Id, arguments, Valid: true)];
    }

    private sealed record ToolBlock(string Id, int Index)
    {
        public StringBuilder Arguments { get; } = new();
    }
}
