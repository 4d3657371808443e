using System.Collections.ObjectModel;
using System.Globalization;
using System.Text;

namespace Sluice.Protocol;

/// <summary>
/// Folds a stream's events, in seq order, into its accumulated state: the answer text, the reasoning, the tool calls,
/// the latest structured-output value and how the stream ended.
/// </summary>
/// <remarks>
/// <para>
/// Used by the gateway to compact events its replay log evicts (see <see cref="ToSnapshot"/>) and to serve a stream's
/// result, and by clients to rebuild a message from a stream that may have been resumed: duplicates are ignored,
/// a <see cref="SnapshotEvent"/> replaces the whole state, and anything else that breaks the protocol (a gap in the
/// seqs, an event after the terminal one, a tool-call event for a call that was never started) throws
/// <see cref="InvalidOperationException"/> and leaves the state unchanged.
/// </para>
/// <para>Not thread-safe: one accumulator per stream and per reader, used from one thread at a time.</para>
/// </remarks>
public sealed class StreamAccumulator
{
    // The text grows by small pieces (tokens); builders make that O(n) overall, and the string properties pay for one
    // copy only when someone asks for them.
    private readonly StringBuilder _text = new();
    private readonly StringBuilder _reasoning = new();
    private readonly List<ToolCallState> _toolCalls = [];
    private readonly ReadOnlyCollection<ToolCallState> _toolCallsView;

    /// <summary>Creates an empty accumulator, before any event (<see cref="LastSeq"/> is -1).</summary>
    public StreamAccumulator()
    {
        _toolCallsView = _toolCalls.AsReadOnly();
    }

    /// <summary>The seq of the last event applied (a snapshot's <see cref="SnapshotEvent.UpTo"/>); -1 before any.</summary>
    public long LastSeq { get; private set; } = -1;

    /// <summary>The stream id from <c>start</c>; <see langword="null"/> until it is applied.</summary>
    /// <remarks>A snapshot does not carry it: a reader that starts from a snapshot never learns it from the stream.</remarks>
    public string? StreamId { get; private set; }

    /// <summary>The model from <c>start</c>; <see langword="null"/> until it is applied.</summary>
    /// <remarks>A snapshot does not carry it: a reader that starts from a snapshot never learns it from the stream.</remarks>
    public string? Model { get; private set; }

    /// <summary>The answer so far: every <c>token</c> content in seq order.</summary>
    /// <remarks>Each read builds a new string (O(length) time and memory): read it once per use, not per event.</remarks>
    public string Text => _text.ToString();

    /// <summary>How many characters <see cref="Text"/> holds, without building it.</summary>
    public int TextLength => _text.Length;

    /// <summary>The answer from character <paramref name="start"/> on: what arrived since a reader last looked.</summary>
    /// <param name="start">A position in <see cref="Text"/>, at most <see cref="TextLength"/>.</param>
    /// <returns>The text from <paramref name="start"/> to the end (O(returned length)).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="start"/> is negative or past the end.</exception>
    public string GetText(int start)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(start);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(start, _text.Length);
        return _text.ToString(start, _text.Length - start);
    }

    /// <summary>The reasoning so far: every <c>reasoning</c> content in seq order.</summary>
    /// <remarks>Each read builds a new string (O(length) time and memory): read it once per use, not per event.</remarks>
    public string Reasoning => _reasoning.ToString();

    /// <summary>Every tool call started so far, in index order.</summary>
    /// <remarks>The entries are live: later events update them in place.</remarks>
    public IReadOnlyList<ToolCallState> ToolCalls => _toolCallsView;

    /// <summary>The structured output so far; <see langword="null"/> when the stream has sent no <c>object</c> event.</summary>
    /// <remarks>A live view: later events update it in place.</remarks>
    public ObjectState? Object { get; private set; }

    /// <summary>Why the stream finished, from <c>done</c>; <see langword="null"/> until then.</summary>
    public FinishReason? FinishReason { get; private set; }

    /// <summary>The token counts, from <c>done</c>; <see langword="null"/> until then.</summary>
    public Usage? Usage { get; private set; }

    /// <summary>The <c>error</c> that ended the stream; <see langword="null"/> when it did not fail (or has not ended).</summary>
    public ErrorEvent? Error { get; private set; }

    /// <summary>Whether a terminal event (<c>done</c> or <c>error</c>) has been applied: nothing may follow.</summary>
    public bool IsComplete { get; private set; }

    /// <summary>Applies the next event of the stream.</summary>
    /// <param name="sequencedEvent">The event and its seq (a coalesced event: the seqs it covers).</param>
    /// <returns>
    /// <see langword="true"/> when the event was applied; <see langword="false"/> when it is a duplicate (its seq is at
    /// or before <see cref="LastSeq"/>, or it is a snapshot whose <see cref="SnapshotEvent.UpTo"/> is), which changes
    /// nothing.
    /// </returns>
    /// <exception cref="ArgumentNullException">The event is null.</exception>
    /// <exception cref="InvalidOperationException">
    /// The (first) seq is not <see cref="LastSeq"/> + 1 (a gap, or a coalesced event overlapping what is applied), the stream is already complete, or a tool-call event names a
    /// call that was not started, was started twice, or has already ended. The state is unchanged.
    /// </exception>
    public bool Apply(SequencedEvent sequencedEvent)
    {
        var evt = sequencedEvent.Event ?? throw new ArgumentNullException(nameof(sequencedEvent));

        // A snapshot's own seq is its UpTo on the wire; UpTo is what it covers, so that is what decides duplicates.
        var seq = evt is SnapshotEvent snapshot ? snapshot.UpTo : sequencedEvent.Seq;
        if (seq <= LastSeq)
        {
            return false;
        }

        if (IsComplete)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"The stream ended at seq {LastSeq}; the {evt.Type} event at seq {seq} cannot follow a terminal event."));
        }

        if (evt is SnapshotEvent replacement)
        {
            Replace(replacement);
            return true;
        }

        // A coalesced event covers FirstSeq..Seq; it must begin exactly after what the state holds.
        var first = sequencedEvent.FirstSeq;
        if (first != LastSeq + 1)
        {
            throw new InvalidOperationException(first < LastSeq + 1
                ? string.Create(CultureInfo.InvariantCulture, $"The {evt.Type} event covering seq {first}..{seq} overlaps seq {LastSeq}, which is already applied.")
                : string.Create(CultureInfo.InvariantCulture, $"Expected seq {LastSeq + 1} but got {first} ({evt.Type}): events are missing."));
        }

        // Every check that can throw runs before the first change, so a rejected event leaves the state as it was.
        switch (evt)
        {
            case StartEvent start:
                StreamId = start.StreamId;
                Model = start.Model;
                break;
            case TokenEvent token:
                _text.Append(token.Content);
                break;
            case ReasoningEvent reasoning:
                _reasoning.Append(reasoning.Content);
                break;
            case ToolCallStartEvent start:
                if (Find(start.Id) is not null)
                {
                    throw new InvalidOperationException($"Tool call '{start.Id}' was already started.");
                }

                Insert(new ToolCallState(start.Id, start.Name, start.Index));
                break;
            case ToolCallDeltaEvent delta:
                Open(delta.Id, seq).AppendFragment(delta.Delta);
                break;
            case ToolCallEndEvent end:
                Open(end.Id, seq).End(end);
                break;
            case ObjectEvent obj:
                if (Object is { Complete: true })
                {
                    throw new InvalidOperationException(string.Create(
                        CultureInfo.InvariantCulture, $"Seq {seq} is an object event after the final one."));
                }

                var state = Object ??= new ObjectState();
                if (obj.IsFinal)
                {
                    state.End(obj);
                }
                else
                {
                    state.Append(obj.Delta);
                }

                break;
            case DoneEvent done:
                FinishReason = done.FinishReason;
                Usage = done.Usage;
                IsComplete = true;
                break;
            case ErrorEvent error:
                Error = error;
                IsComplete = true;
                break;
            default:
                // The event types are closed to this assembly and all are handled above; a type added later that
                // carries no state the accumulator knows still takes its seq.
                break;
        }

        LastSeq = seq;
        return true;
    }

    /// <summary>Captures the state as a <see cref="SnapshotEvent"/> through <see cref="LastSeq"/>.</summary>
    /// <returns>A snapshot that, applied to a fresh accumulator, gives the same text, reasoning, tool calls and object.</returns>
    /// <remarks>
    /// A snapshot carries no <see cref="StreamId"/>, <see cref="Model"/> or terminal state: the protocol's
    /// <c>snapshot</c> has no fields for them. It builds the text and reasoning strings (O(length)).
    /// </remarks>
    /// <exception cref="InvalidOperationException">No event has been applied.</exception>
    public SnapshotEvent ToSnapshot()
    {
        if (LastSeq < 0)
        {
            throw new InvalidOperationException("Nothing to snapshot: no event has been applied.");
        }

        var calls = _toolCalls.Count == 0 ? [] : new ToolCallSnapshot[_toolCalls.Count];
        for (var i = 0; i < calls.Length; i++)
        {
            calls[i] = _toolCalls[i].ToSnapshot();
        }

        return new SnapshotEvent(LastSeq, Text, Reasoning, calls, Object?.ToSnapshot());
    }

    private void Replace(SnapshotEvent snapshot)
    {
        _text.Clear().Append(snapshot.Text);
        _reasoning.Clear().Append(snapshot.Reasoning);
        _toolCalls.Clear();
        foreach (var call in snapshot.ToolCalls)
        {
            Insert(ToolCallState.FromSnapshot(call));
        }

        Object = snapshot.Object is null ? null : ObjectState.FromSnapshot(snapshot.Object);
        LastSeq = snapshot.UpTo;
    }

    // Calls start in index order, so this appends; a sender that numbers them otherwise still gets index order.
    private void Insert(ToolCallState call)
    {
        var position = _toolCalls.Count;
        while (position > 0 && _toolCalls[position - 1].Index > call.Index)
        {
            position--;
        }

        _toolCalls.Insert(position, call);
    }

    private ToolCallState Open(string id, long seq)
    {
        var call = Find(id) ?? throw new InvalidOperationException(string.Create(
            CultureInfo.InvariantCulture, $"Seq {seq} refers to tool call '{id}', which was never started."));
        return call.Complete
            ? throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture, $"Seq {seq} refers to tool call '{id}', which has already ended."))
            : call;
    }

    // A linear search: a stream has a handful of tool calls, fewer than it takes for a dictionary to pay off.
    private ToolCallState? Find(string id)
    {
        foreach (var call in _toolCalls)
        {
            if (string.Equals(call.Id, id, StringComparison.Ordinal))
            {
                return call;
            }
        }

        return null;
    }
}
