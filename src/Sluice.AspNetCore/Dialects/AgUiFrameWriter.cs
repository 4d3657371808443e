using System.Buffers;
using System.Text.Json;
using Sluice.Protocol;

namespace Sluice.AspNetCore.Dialects;

/// <summary>
/// AG-UI 1.0 events over SSE: a run as <c>RUN_STARTED</c>, text, reasoning and tool-call events, then
/// <c>RUN_FINISHED</c> or <c>RUN_ERROR</c> (<c>docs/PROTOCOL.md</c>, "AG-UI").
/// </summary>
/// <remarks>
/// The answer is one assistant message (<paramref name="messageId"/>): its text may be opened and closed several times
/// around tool calls (the client appends to the message with the same id), and its tool calls name it as their parent.
/// The client strips unknown top-level fields, so Sluice's seq travels in <c>metadata.sluice.seq</c> (and in the SSE id).
/// The client rejects <c>RUN_FINISHED</c> while a message or call is open, so every block is closed first. The base class
/// records what has been sent, so a snapshot adds only what is missing.
/// </remarks>
internal sealed class AgUiFrameWriter(string threadId, string runId, string messageId) : DialectFrameWriter
{
    private readonly DialectFrameEncoder _frames = new();
    private readonly string _reasoningId = messageId + "-reasoning";
    private bool _runStarted;
    private bool _textOpen;
    private bool _reasoningOpen;

    protected override bool HasStarted => _runStarted;

    public override void WriteShutdown(IBufferWriter<byte> output)
    {
        // A body that ends without RUN_FINISHED or RUN_ERROR would pass for a finished run; the run goes on, and the
        // client may resume it with GET {path}/{threadId}/stream.
        var json = BeginEvent(output, seq: null, "RUN_ERROR"u8);
        json.WriteString("message"u8, "The gateway is restarting; resume the run to get the rest of this answer.");
        json.WriteString("code"u8, "shutting_down");
        EndEvent(output);
    }

    protected override void WriteStart(IBufferWriter<byte> output, SequencedEvent at)
    {
        _runStarted = true;
        var json = BeginEvent(output, at.Seq, "RUN_STARTED"u8);
        json.WriteString("threadId"u8, threadId);
        json.WriteString("runId"u8, runId);
        WriteMetadata(json, at);
        EndEvent(output);
    }

    protected override void WriteText(IBufferWriter<byte> output, SequencedEvent at, string text)
    {
        if (!_textOpen)
        {
            CloseReasoning(output, at);
            _textOpen = true;
            var start = BeginEvent(output, at.Seq, "TEXT_MESSAGE_START"u8);
            start.WriteString("messageId"u8, messageId);
            start.WriteString("role"u8, "assistant"u8);
            WriteMetadata(start, at);
            EndEvent(output);
        }

        var json = BeginEvent(output, at.Seq, "TEXT_MESSAGE_CONTENT"u8);
        json.WriteString("messageId"u8, messageId);
        json.WriteString("delta"u8, text);
        WriteMetadata(json, at);
        EndEvent(output);
    }

    protected override void WriteReasoning(IBufferWriter<byte> output, SequencedEvent at, string text)
    {
        if (!_reasoningOpen)
        {
            CloseText(output, at);
            _reasoningOpen = true;
            var span = BeginEvent(output, at.Seq, "REASONING_START"u8);
            span.WriteString("messageId"u8, _reasoningId);
            WriteMetadata(span, at);
            EndEvent(output);
            var start = BeginEvent(output, at.Seq, "REASONING_MESSAGE_START"u8);
            start.WriteString("messageId"u8, _reasoningId);
            start.WriteString("role"u8, "reasoning"u8);
            WriteMetadata(start, at);
            EndEvent(output);
        }

        var json = BeginEvent(output, at.Seq, "REASONING_MESSAGE_CONTENT"u8);
        json.WriteString("messageId"u8, _reasoningId);
        json.WriteString("delta"u8, text);
        WriteMetadata(json, at);
        EndEvent(output);
    }

    protected override void WriteToolCallStart(IBufferWriter<byte> output, SequencedEvent at, string callId, string toolName)
    {
        CloseText(output, at);
        CloseReasoning(output, at);
        var json = BeginEvent(output, at.Seq, "TOOL_CALL_START"u8);
        json.WriteString("toolCallId"u8, callId);
        json.WriteString("toolCallName"u8, toolName);
        json.WriteString("parentMessageId"u8, messageId);
        WriteMetadata(json, at);
        EndEvent(output);
    }

    protected override void WriteToolCallArguments(IBufferWriter<byte> output, SequencedEvent at, string callId, string fragment)
    {
        var json = BeginEvent(output, at.Seq, "TOOL_CALL_ARGS"u8);
        json.WriteString("toolCallId"u8, callId);
        json.WriteString("delta"u8, fragment);
        WriteMetadata(json, at);
        EndEvent(output);
    }

    protected override void WriteToolCallEnd(IBufferWriter<byte> output, SequencedEvent at, string callId, string? toolName, string arguments, bool valid, IReadOnlyList<string>? errors)
    {
        var json = BeginEvent(output, at.Seq, "TOOL_CALL_END"u8);
        json.WriteString("toolCallId"u8, callId);

        // AG-UI has no verdict on arguments; the gateway's travels in the metadata.
        WriteMetadata(json, at, writeExtra: extra =>
        {
            extra.WriteBoolean("valid"u8, valid);
            if (errors is { Count: > 0 })
            {
                extra.WriteStartArray("errors"u8);
                foreach (var error in errors)
                {
                    extra.WriteStringValue(error);
                }

                extra.WriteEndArray();
            }
        });
        EndEvent(output);
    }

    protected override void WriteDone(IBufferWriter<byte> output, SequencedEvent at, DoneEvent done)
    {
        CloseText(output, at);
        CloseReasoning(output, at);
        var json = BeginEvent(output, at.Seq, "RUN_FINISHED"u8);
        json.WriteString("threadId"u8, threadId);
        json.WriteString("runId"u8, runId);
        json.WriteStartObject("outcome"u8);
        json.WriteString("type"u8, done.FinishReason == FinishReason.Cancelled ? "cancelled"u8 : "success"u8);
        json.WriteEndObject();
        json.WriteStartArray("usage"u8);
        json.WriteStartObject();
        json.WriteNumber("inputTokens"u8, done.Usage.InputTokens);
        json.WriteNumber("outputTokens"u8, done.Usage.OutputTokens);
        json.WriteNumber("totalTokens"u8, done.Usage.InputTokens + done.Usage.OutputTokens);
        json.WriteEndObject();
        json.WriteEndArray();
        WriteMetadata(json, at, writeExtra: extra => extra.WriteString("finishReason"u8, done.FinishReason.Value));
        EndEvent(output);
    }

    protected override void WriteError(IBufferWriter<byte> output, SequencedEvent at, ErrorEvent error)
    {
        // RUN_ERROR may come with messages open: the client accepts it at any point, and nothing open is marked complete.
        var json = BeginEvent(output, at.Seq, "RUN_ERROR"u8);
        json.WriteString("message"u8, error.Message);
        json.WriteString("code"u8, error.Code);
        WriteMetadata(json, at, writeExtra: extra => extra.WriteBoolean("retryable"u8, error.Retryable));
        EndEvent(output);
    }

    private void CloseText(IBufferWriter<byte> output, SequencedEvent at)
    {
        if (!_textOpen)
        {
            return;
        }

        _textOpen = false;
        var json = BeginEvent(output, at.Seq, "TEXT_MESSAGE_END"u8);
        json.WriteString("messageId"u8, messageId);
        WriteMetadata(json, at);
        EndEvent(output);
    }

    private void CloseReasoning(IBufferWriter<byte> output, SequencedEvent at)
    {
        if (!_reasoningOpen)
        {
            return;
        }

        _reasoningOpen = false;
        var end = BeginEvent(output, at.Seq, "REASONING_MESSAGE_END"u8);
        end.WriteString("messageId"u8, _reasoningId);
        WriteMetadata(end, at);
        EndEvent(output);
        var span = BeginEvent(output, at.Seq, "REASONING_END"u8);
        span.WriteString("messageId"u8, _reasoningId);
        WriteMetadata(span, at);
        EndEvent(output);
    }

    /// <summary><c>metadata.sluice</c>: the seq (and, for a coalesced event, the first seq it covers), plus what the event adds.</summary>
    private static void WriteMetadata(Utf8JsonWriter json, SequencedEvent at, Action<Utf8JsonWriter>? writeExtra = null)
    {
        json.WriteStartObject("metadata"u8);
        json.WriteStartObject("sluice"u8);
        json.WriteNumber("seq"u8, at.Seq);
        if (at.FirstSeq < at.Seq)
        {
            json.WriteNumber("from"u8, at.FirstSeq);
        }

        writeExtra?.Invoke(json);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private Utf8JsonWriter BeginEvent(IBufferWriter<byte> output, long? seq, ReadOnlySpan<byte> type)
    {
        var json = _frames.BeginFrame(output, seq);
        json.WriteStartObject();
        json.WriteString("type"u8, type);
        return json;
    }

    private void EndEvent(IBufferWriter<byte> output)
    {
        _frames.Json.WriteEndObject();
        _frames.EndFrame(output);
    }
}
