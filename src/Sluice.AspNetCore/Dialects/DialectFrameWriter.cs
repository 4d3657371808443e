using System.Buffers;
using Sluice.Protocol;

namespace Sluice.AspNetCore.Dialects;

/// <summary>
/// What every dialect does the same way with a run's events: which event becomes which kind of output, the record of
/// what this response has sent (<see cref="SentMessage"/>), and the compacted prefix a snapshot turns into (only what
/// this response lacks). A dialect writes the frames: its subclass implements the <c>Write…</c> members.
/// </summary>
/// <remarks>
/// The <c>Write…</c> members are called in event order with non-empty text and fragments; a coalesced event comes as
/// one delta (its seq is the last it covers). Structured output has no event of its own in the dialects: its JSON
/// text streams as the message's text.
/// </remarks>
internal abstract class DialectFrameWriter : StreamFrameWriter
{
    private readonly SentMessage _sent = new();

    /// <summary>Whether this response has written the message's (or run's) start, which must come before anything else.</summary>
    protected abstract bool HasStarted { get; }

    public sealed override void Write(IBufferWriter<byte> output, SequencedEvent sequencedEvent)
    {
        switch (sequencedEvent.Event)
        {
            case StartEvent:
                WriteStart(output, sequencedEvent);
                break;
            case SnapshotEvent snapshot:
                WriteCompactedPrefix(output, sequencedEvent, snapshot);
                break;
            case TokenEvent token:
                AppendText(output, sequencedEvent, token.Content);
                _sent.TextLength += token.Content.Length;
                break;
            case ObjectEvent { IsFinal: false } fragment:
                AppendText(output, sequencedEvent, fragment.Delta);
                _sent.ObjectLength += fragment.Delta.Length;
                break;
            case ReasoningEvent reasoning:
                AppendReasoning(output, sequencedEvent, reasoning.Content);
                _sent.ReasoningLength += reasoning.Content.Length;
                break;
            case ToolCallStartEvent start:
                StartToolCall(output, sequencedEvent, start.Id, start.Name);
                break;
            case ToolCallDeltaEvent delta:
                AppendToolCallArguments(output, sequencedEvent, delta.Id, delta.Delta);
                break;
            case ToolCallEndEvent end:
                EndToolCall(output, sequencedEvent, end.Id, end.Arguments, end.Valid, end.Errors);
                break;
            case DoneEvent done:
                WriteDone(output, sequencedEvent, done);
                break;
            case ErrorEvent error:
                WriteError(output, sequencedEvent, error);
                break;
        }
    }

    /// <summary>The start of the message (or run); the first thing every response writes.</summary>
    protected abstract void WriteStart(IBufferWriter<byte> output, SequencedEvent at);

    /// <summary>Answer text (opening a text block when none is open).</summary>
    protected abstract void WriteText(IBufferWriter<byte> output, SequencedEvent at, string text);

    /// <summary>Reasoning text (opening a reasoning block when none is open).</summary>
    protected abstract void WriteReasoning(IBufferWriter<byte> output, SequencedEvent at, string text);

    /// <summary>A tool call begins.</summary>
    protected abstract void WriteToolCallStart(IBufferWriter<byte> output, SequencedEvent at, string callId, string toolName);

    /// <summary>A raw fragment of a tool call's arguments.</summary>
    protected abstract void WriteToolCallArguments(IBufferWriter<byte> output, SequencedEvent at, string callId, string fragment);

    /// <summary>A tool call ends, with the gateway's verdict on its arguments.</summary>
    /// <param name="output">The response body.</param>
    /// <param name="at">The event's position.</param>
    /// <param name="callId">The call.</param>
    /// <param name="toolName">The tool, when this response started the call (a resume by position may begin after it).</param>
    /// <param name="arguments">The complete arguments text.</param>
    /// <param name="valid">Whether the arguments are complete JSON matching the tool's schema.</param>
    /// <param name="errors">Why not, when not.</param>
    protected abstract void WriteToolCallEnd(IBufferWriter<byte> output, SequencedEvent at, string callId, string? toolName, string arguments, bool valid, IReadOnlyList<string>? errors);

    /// <summary>The run finished (<c>done</c>, cancelled included).</summary>
    protected abstract void WriteDone(IBufferWriter<byte> output, SequencedEvent at, DoneEvent done);

    /// <summary>The run failed.</summary>
    protected abstract void WriteError(IBufferWriter<byte> output, SequencedEvent at, ErrorEvent error);

    /// <summary>
    /// The state through the snapshot's seq, for what this response has not sent: when the log no longer holds the
    /// start of the run, everything from the start (the clients reject content before it, and the AI SDK expects the
    /// whole message) in as few events as say it: reasoning, text, each tool call; when the reader fell behind
    /// mid-stream, only the missing suffixes.
    /// </summary>
    private void WriteCompactedPrefix(IBufferWriter<byte> output, SequencedEvent at, SnapshotEvent snapshot)
    {
        if (!HasStarted)
        {
            WriteStart(output, at);
        }

        AppendReasoning(output, at, SentMessage.Beyond(snapshot.Reasoning, _sent.ReasoningLength));
        _sent.ReasoningLength = Math.Max(_sent.ReasoningLength, snapshot.Reasoning.Length);
        AppendText(output, at, SentMessage.Beyond(snapshot.Text, _sent.TextLength));
        _sent.TextLength = Math.Max(_sent.TextLength, snapshot.Text.Length);
        if (snapshot.Object is { } structured)
        {
            AppendText(output, at, SentMessage.Beyond(structured.Text, _sent.ObjectLength));
            _sent.ObjectLength = Math.Max(_sent.ObjectLength, structured.Text.Length);
        }

        foreach (var call in snapshot.ToolCalls)
        {
            var sent = _sent.Find(call.Id);
            if (sent is null)
            {
                StartToolCall(output, at, call.Id, call.Name);
            }

            if (sent is not { Ended: true })
            {
                AppendToolCallArguments(output, at, call.Id, SentMessage.Beyond(call.Arguments, sent?.ArgumentsLength ?? 0));
                if (call.Complete)
                {
                    EndToolCall(output, at, call.Id, call.Arguments, call.Valid == true, call.Errors);
                }
            }
        }
    }

    private void AppendText(IBufferWriter<byte> output, SequencedEvent at, string text)
    {
        if (text.Length > 0)
        {
            WriteText(output, at, text); // Nothing to show is no reason to open a block.
        }
    }

    private void AppendReasoning(IBufferWriter<byte> output, SequencedEvent at, string text)
    {
        if (text.Length > 0)
        {
            WriteReasoning(output, at, text);
        }
    }

    private void StartToolCall(IBufferWriter<byte> output, SequencedEvent at, string callId, string toolName)
    {
        _sent.Start(callId, toolName);
        WriteToolCallStart(output, at, callId, toolName);
    }

    private void AppendToolCallArguments(IBufferWriter<byte> output, SequencedEvent at, string callId, string fragment)
    {
        if (fragment.Length == 0)
        {
            return;
        }

        if (_sent.Find(callId) is { } sent)
        {
            sent.ArgumentsLength += fragment.Length;
        }

        WriteToolCallArguments(output, at, callId, fragment);
    }

    private void EndToolCall(IBufferWriter<byte> output, SequencedEvent at, string callId, string arguments, bool valid, IReadOnlyList<string>? errors)
    {
        var sent = _sent.Find(callId);
        if (sent is not null)
        {
            sent.Ended = true;
        }

        WriteToolCallEnd(output, at, callId, sent?.Name, arguments, valid, errors);
    }
}
