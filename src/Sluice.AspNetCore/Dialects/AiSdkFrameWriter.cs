using System.Buffers;
using System.Text.Json;
using Sluice.Protocol;

namespace Sluice.AspNetCore.Dialects;

/// <summary>
/// The Vercel AI SDK UI message stream, version 1 (<c>x-vercel-ai-ui-message-stream: v1</c>): a run as the chunks
/// <c>useChat</c> folds into one assistant message (<c>docs/PROTOCOL.md</c>, "AI SDK UI message stream").
/// </summary>
/// <remarks>
/// Stateful per response: which text or reasoning block is open (the client requires <c>*-start</c>, <c>*-delta</c>,
/// <c>*-end</c> per block id, in that order); the base class records what has been sent, so a snapshot adds only what
/// is missing and a tool call's name is known again when its input is complete. Every frame carries the Sluice seq as its SSE id, so a custom transport can resume
/// with <c>Last-Event-ID</c>. Every stream ends with <c>finish</c> or <c>error</c>, then <c>data: [DONE]</c>: a stream that
/// ends without them was cut.
/// </remarks>
internal sealed class AiSdkFrameWriter(string messageId) : DialectFrameWriter
{
    /// <summary>The response header that tells the client which stream protocol it reads.</summary>
    public const string StreamHeader = "x-vercel-ai-ui-message-stream";

    /// <summary>The protocol version this writer speaks.</summary>
    public const string StreamVersion = "v1";

    private readonly DialectFrameEncoder _frames = new();
    private bool _started;
    private string? _openTextId;
    private string? _openReasoningId;
    private int _blocks;

    protected override bool HasStarted => _started;

    public override void WriteShutdown(IBufferWriter<byte> output)
    {
        // A clean end without finish would look like a complete answer to useChat; an error says it is not, and the
        // client resumes with GET {api}/{chatId}/stream (the run goes on).
        var json = BeginChunk(output, seq: null, "error"u8);
        json.WriteString("errorText"u8, "The gateway is restarting; resume the stream to get the rest of this answer.");
        EndChunk(output);
    }

    protected override void WriteStart(IBufferWriter<byte> output, SequencedEvent at)
    {
        var seq = at.Seq;
        _started = true;
        var json = BeginChunk(output, seq, "start"u8);
        json.WriteString("messageId"u8, messageId);
        EndChunk(output);
        BeginChunk(output, seq, "start-step"u8);
        EndChunk(output);
    }

    protected override void WriteText(IBufferWriter<byte> output, SequencedEvent at, string text)
    {
        var seq = at.Seq;
        if (_openTextId is null)
        {
            CloseReasoning(output, seq);
            _openTextId = "text-" + (++_blocks).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var start = BeginChunk(output, seq, "text-start"u8);
            start.WriteString("id"u8, _openTextId);
            EndChunk(output);
        }

        var json = BeginChunk(output, seq, "text-delta"u8);
        json.WriteString("id"u8, _openTextId);
        json.WriteString("delta"u8, text);
        EndChunk(output);
    }

    protected override void WriteReasoning(IBufferWriter<byte> output, SequencedEvent at, string text)
    {
        var seq = at.Seq;
        if (_openReasoningId is null)
        {
            CloseText(output, seq);
            _openReasoningId = "reasoning-" + (++_blocks).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var start = BeginChunk(output, seq, "reasoning-start"u8);
            start.WriteString("id"u8, _openReasoningId);
            EndChunk(output);
        }

        var json = BeginChunk(output, seq, "reasoning-delta"u8);
        json.WriteString("id"u8, _openReasoningId);
        json.WriteString("delta"u8, text);
        EndChunk(output);
    }

    protected override void WriteToolCallStart(IBufferWriter<byte> output, SequencedEvent at, string callId, string toolName)
    {
        var seq = at.Seq;
        CloseText(output, seq);
        CloseReasoning(output, seq);
        var json = BeginChunk(output, seq, "tool-input-start"u8);
        json.WriteString("toolCallId"u8, callId);
        json.WriteString("toolName"u8, toolName);
        EndChunk(output);
    }

    protected override void WriteToolCallArguments(IBufferWriter<byte> output, SequencedEvent at, string callId, string fragment)
    {
        var json = BeginChunk(output, at.Seq, "tool-input-delta"u8);
        json.WriteString("toolCallId"u8, callId);
        json.WriteString("inputTextDelta"u8, fragment);
        EndChunk(output);
    }

    protected override void WriteToolCallEnd(IBufferWriter<byte> output, SequencedEvent at, string callId, string? toolName, string arguments, bool valid, IReadOnlyList<string>? errors)
    {
        // A resume by Last-Event-ID may begin after the call's start (no name then): the client knows the call by id,
        // the name is a formality.
        var seq = at.Seq;
        if (valid)
        {
            var json = BeginChunk(output, seq, "tool-input-available"u8);
            json.WriteString("toolCallId"u8, callId);
            json.WriteString("toolName"u8, toolName ?? string.Empty);

            // Valid means complete JSON (the gateway parsed it), so it goes on the wire as the value itself.
            json.WritePropertyName("input"u8);
            json.WriteRawValue(arguments, skipInputValidation: true);
            EndChunk(output);
            return;
        }

        var error = BeginChunk(output, seq, "tool-input-error"u8);
        error.WriteString("toolCallId"u8, callId);
        error.WriteString("toolName"u8, toolName ?? string.Empty);
        error.WriteString("input"u8, arguments); // Not a value (or not the schema's): the raw text, as the model wrote it.
        error.WriteString("errorText"u8, errors is { Count: > 0 } ? string.Join("; ", errors) : "The arguments are not valid.");
        EndChunk(output);
    }

    protected override void WriteDone(IBufferWriter<byte> output, SequencedEvent at, DoneEvent done)
    {
        var seq = at.Seq;
        var reason = done.FinishReason;
        CloseText(output, seq);
        CloseReasoning(output, seq);
        BeginChunk(output, seq, "finish-step"u8);
        EndChunk(output);
        if (reason == FinishReason.Cancelled)
        {
            // Stopped, not finished: the client keeps what arrived and can tell it was cut short on purpose.
            var abort = BeginChunk(output, seq, "abort"u8);
            abort.WriteString("reason"u8, "cancelled");
            EndChunk(output);
        }

        var json = BeginChunk(output, seq, "finish"u8);
        json.WriteString("finishReason"u8, FinishReasonOf(reason));
        EndChunk(output);
        DialectFrameEncoder.WriteLiteral(output, "data: [DONE]\n\n"u8);
    }

    protected override void WriteError(IBufferWriter<byte> output, SequencedEvent at, ErrorEvent error)
    {
        var seq = at.Seq;
        // Open blocks stay open: closing them would mark a cut answer as complete. ErrorEvent.Message is written for
        // people and holds no internals (PROTOCOL.md), so it is the errorText as it is.
        var json = BeginChunk(output, seq, "error"u8);
        json.WriteString("errorText"u8, error.Message);
        EndChunk(output);
        DialectFrameEncoder.WriteLiteral(output, "data: [DONE]\n\n"u8);
    }

    private void CloseText(IBufferWriter<byte> output, long seq)
    {
        if (_openTextId is null)
        {
            return;
        }

        var json = BeginChunk(output, seq, "text-end"u8);
        json.WriteString("id"u8, _openTextId);
        EndChunk(output);
        _openTextId = null;
    }

    private void CloseReasoning(IBufferWriter<byte> output, long seq)
    {
        if (_openReasoningId is null)
        {
            return;
        }

        var json = BeginChunk(output, seq, "reasoning-end"u8);
        json.WriteString("id"u8, _openReasoningId);
        EndChunk(output);
        _openReasoningId = null;
    }

    /// <summary>The client's finish reasons are a closed set; anything else (a provider's own reason) is <c>other</c>.</summary>
    private static string FinishReasonOf(FinishReason reason)
    {
        if (reason == FinishReason.Stop)
        {
            return "stop";
        }

        if (reason == FinishReason.Length)
        {
            return "length";
        }

        if (reason == FinishReason.ToolCalls)
        {
            return "tool-calls";
        }

        return reason == FinishReason.ContentFilter ? "content-filter" : "other";
    }

    private Utf8JsonWriter BeginChunk(IBufferWriter<byte> output, long? seq, ReadOnlySpan<byte> type)
    {
        var json = _frames.BeginFrame(output, seq);
        json.WriteStartObject();
        json.WriteString("type"u8, type);
        return json;
    }

    private void EndChunk(IBufferWriter<byte> output)
    {
        _frames.Json.WriteEndObject();
        _frames.EndFrame(output);
    }
}
