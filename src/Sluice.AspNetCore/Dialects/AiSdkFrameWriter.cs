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
/// <c>*-end</c> per block id, in that order), and what has been sent (<see cref="SentMessage"/>), so a snapshot adds
/// only what is missing and a tool call's name is known again when its input is complete. Every frame carries the Sluice seq as its SSE id, so a custom transport can resume
/// with <c>Last-Event-ID</c>. Every stream ends with <c>finish</c> or <c>error</c>, then <c>data: [DONE]</c>: a stream that
/// ends without them was cut.
/// </remarks>
internal sealed class AiSdkFrameWriter(string messageId) : StreamFrameWriter
{
    /// <summary>The response header that tells the client which stream protocol it reads.</summary>
    public const string StreamHeader = "x-vercel-ai-ui-message-stream";

    /// <summary>The protocol version this writer speaks.</summary>
    public const string StreamVersion = "v1";

    private readonly DialectFrameEncoder _frames = new();
    private readonly SentMessage _sent = new();
    private bool _started;
    private string? _openTextId;
    private string? _openReasoningId;
    private int _blocks;

    public override void Write(IBufferWriter<byte> output, SequencedEvent sequencedEvent)
    {
        var seq = sequencedEvent.Seq;
        switch (sequencedEvent.Event)
        {
            case StartEvent:
                WriteMessageStart(output, seq);
                break;
            case SnapshotEvent snapshot:
                WriteCompactedPrefix(output, seq, snapshot);
                break;
            case TokenEvent token:
                WriteText(output, seq, token.Content);
                _sent.TextLength += token.Content.Length;
                break;
            case ObjectEvent { IsFinal: false } fragment:
                // Structured output has no chunk of its own in this protocol: its JSON text streams as message text.
                WriteText(output, seq, fragment.Delta);
                _sent.ObjectLength += fragment.Delta.Length;
                break;
            case ReasoningEvent reasoning:
                WriteReasoning(output, seq, reasoning.Content);
                _sent.ReasoningLength += reasoning.Content.Length;
                break;
            case ToolCallStartEvent start:
                WriteToolInputStart(output, seq, start.Id, start.Name);
                break;
            case ToolCallDeltaEvent delta:
                WriteToolInputDelta(output, seq, delta.Id, delta.Delta);
                break;
            case ToolCallEndEvent end:
                WriteToolInputEnd(output, seq, end.Id, end.Arguments, end.Valid, end.Errors);
                break;
            case DoneEvent done:
                WriteFinish(output, seq, done.FinishReason);
                break;
            case ErrorEvent error:
                WriteError(output, seq, error.Message);
                break;
        }
    }

    public override void WriteShutdown(IBufferWriter<byte> output)
    {
        // A clean end without finish would look like a complete answer to useChat; an error says it is not, and the
        // client resumes with GET {api}/{chatId}/stream (the run goes on).
        var json = BeginChunk(output, seq: null, "error"u8);
        json.WriteString("errorText"u8, "The gateway is restarting; resume the stream to get the rest of this answer.");
        EndChunk(output);
    }

    private void WriteMessageStart(IBufferWriter<byte> output, long seq)
    {
        _started = true;
        var json = BeginChunk(output, seq, "start"u8);
        json.WriteString("messageId"u8, messageId);
        EndChunk(output);
        BeginChunk(output, seq, "start-step"u8);
        EndChunk(output);
    }

    /// <summary>
    /// The state through the snapshot's seq, for what this response has not sent: when the log no longer holds the
    /// start of the run, everything (from <c>start</c>, as the client's replay expects) in as few chunks as say it:
    /// reasoning, then text, then each tool call; when the reader fell behind mid-stream, only the missing suffixes.
    /// </summary>
    private void WriteCompactedPrefix(IBufferWriter<byte> output, long seq, SnapshotEvent snapshot)
    {
        if (!_started)
        {
            WriteMessageStart(output, seq);
        }

        WriteReasoning(output, seq, SentMessage.Beyond(snapshot.Reasoning, _sent.ReasoningLength));
        _sent.ReasoningLength = Math.Max(_sent.ReasoningLength, snapshot.Reasoning.Length);
        WriteText(output, seq, SentMessage.Beyond(snapshot.Text, _sent.TextLength));
        _sent.TextLength = Math.Max(_sent.TextLength, snapshot.Text.Length);
        if (snapshot.Object is { } structured)
        {
            WriteText(output, seq, SentMessage.Beyond(structured.Text, _sent.ObjectLength));
            _sent.ObjectLength = Math.Max(_sent.ObjectLength, structured.Text.Length);
        }

        foreach (var call in snapshot.ToolCalls)
        {
            var sent = _sent.Find(call.Id);
            if (sent is null)
            {
                WriteToolInputStart(output, seq, call.Id, call.Name);
            }

            if (sent is not { Ended: true })
            {
                WriteToolInputDelta(output, seq, call.Id, SentMessage.Beyond(call.Arguments, sent?.ArgumentsLength ?? 0));
                if (call.Complete)
                {
                    WriteToolInputEnd(output, seq, call.Id, call.Arguments, call.Valid == true, call.Errors);
                }
            }
        }
    }

    private void WriteText(IBufferWriter<byte> output, long seq, string text)
    {
        if (text.Length == 0)
        {
            return; // Nothing to show, and no block to open for it.
        }

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

    private void WriteReasoning(IBufferWriter<byte> output, long seq, string text)
    {
        if (text.Length == 0)
        {
            return;
        }

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

    private void WriteToolInputStart(IBufferWriter<byte> output, long seq, string callId, string toolName)
    {
        CloseText(output, seq);
        CloseReasoning(output, seq);
        _sent.Start(callId, toolName);
        var json = BeginChunk(output, seq, "tool-input-start"u8);
        json.WriteString("toolCallId"u8, callId);
        json.WriteString("toolName"u8, toolName);
        EndChunk(output);
    }

    private void WriteToolInputDelta(IBufferWriter<byte> output, long seq, string callId, string fragment)
    {
        if (fragment.Length == 0)
        {
            return;
        }

        if (_sent.Find(callId) is { } sent)
        {
            sent.ArgumentsLength += fragment.Length;
        }

        var json = BeginChunk(output, seq, "tool-input-delta"u8);
        json.WriteString("toolCallId"u8, callId);
        json.WriteString("inputTextDelta"u8, fragment);
        EndChunk(output);
    }

    private void WriteToolInputEnd(IBufferWriter<byte> output, long seq, string callId, string arguments, bool valid, IReadOnlyList<string>? errors)
    {
        // A resume by Last-Event-ID may begin after the call's start: the client knows the call by id, the name is a formality.
        var sent = _sent.Find(callId);
        var toolName = sent?.Name;
        if (sent is not null)
        {
            sent.Ended = true;
        }
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

    private void WriteFinish(IBufferWriter<byte> output, long seq, FinishReason reason)
    {
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

    private void WriteError(IBufferWriter<byte> output, long seq, string message)
    {
        // Open blocks stay open: closing them would mark a cut answer as complete. ErrorEvent.Message is written for
        // people and holds no internals (PROTOCOL.md), so it is the errorText as it is.
        var json = BeginChunk(output, seq, "error"u8);
        json.WriteString("errorText"u8, message);
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
