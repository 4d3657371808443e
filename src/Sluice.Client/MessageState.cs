using Sluice.Protocol;

namespace Sluice.Client;

/// <summary>
/// One assistant message as a UI shows it: the events of its stream folded together (text, reasoning, tool calls with
/// live partial arguments, structured output, usage, how it ended) plus the state of the connection carrying it.
/// </summary>
/// <remarks>
/// <para>
/// Duplicates (an event at or before <see cref="LastSeq"/>, as a resumed connection may replay) are ignored, and a
/// <c>snapshot</c> replaces the whole state; <see cref="TextGeneration"/> then changes so a view that renders the text
/// incrementally knows to start over. Every applied change bumps <see cref="Version"/>, which is how a UI batching
/// renders knows whether anything changed since its last frame.
/// </para>
/// <para>Not thread-safe: feed it from one thread at a time (in Blazor, the renderer's).</para>
/// </remarks>
public sealed class MessageState
{
    private readonly StreamAccumulator _accumulator = new();
    private readonly List<ToolCallView> _toolCalls = [];

    /// <summary>Where the connection stands.</summary>
    public ConnectionState Connection { get; private set; } = ConnectionState.Connecting;

    /// <summary>Increases by at least one with every change (an event applied, the connection state changing).</summary>
    public long Version { get; private set; }

    /// <summary>
    /// Increases when the text was replaced rather than extended (a <c>snapshot</c>): a view that appended
    /// <see cref="GetTextSince"/> so far must start over from position 0.
    /// </summary>
    public int TextGeneration { get; private set; }

    /// <summary>The seq of the last event applied; -1 before any. A resume asks for what comes after it.</summary>
    public long LastSeq => _accumulator.LastSeq;

    /// <summary>The stream id, from <c>start</c>.</summary>
    public string? StreamId => _accumulator.StreamId;

    /// <summary>The model, from <c>start</c>.</summary>
    public string? Model => _accumulator.Model;

    /// <summary>The answer so far (builds a string: O(length) per read).</summary>
    public string Text => _accumulator.Text;

    /// <summary>How many characters the answer has so far.</summary>
    public int TextLength => _accumulator.TextLength;

    /// <summary>The reasoning so far (builds a string: O(length) per read).</summary>
    public string Reasoning => _accumulator.Reasoning;

    /// <summary>The tool calls so far, in index order.</summary>
    public IReadOnlyList<ToolCallView> ToolCalls => _toolCalls;

    /// <summary>The structured output so far, if the request asked for one.</summary>
    public ObjectState? Object => _accumulator.Object;

    /// <summary>Why the answer finished, from <c>done</c>.</summary>
    public FinishReason? FinishReason => _accumulator.FinishReason;

    /// <summary>Token counts, from <c>done</c>.</summary>
    public Usage? Usage => _accumulator.Usage;

    /// <summary>The <c>error</c> that ended the stream, or a client-side failure (resume attempts exhausted).</summary>
    public ErrorEvent? Error { get; private set; }

    /// <summary>Whether the stream has ended (with <c>done</c> or an error).</summary>
    public bool IsComplete => _accumulator.IsComplete || Connection == ConnectionState.Failed;

    /// <summary>The answer from character <paramref name="start"/> on (O(returned length)).</summary>
    /// <param name="start">A position at most <see cref="TextLength"/>.</param>
    /// <returns>What was appended since the reader's position.</returns>
    public string GetTextSince(int start) => _accumulator.GetText(start);

    /// <summary>Applies the stream's next event.</summary>
    /// <param name="sequencedEvent">The event with its seq.</param>
    /// <returns><see langword="false"/> for a duplicate, which changes nothing.</returns>
    /// <exception cref="InvalidOperationException">The event breaks the protocol (a gap in seqs, an event after the end).</exception>
    public bool Apply(SequencedEvent sequencedEvent)
    {
        if (!_accumulator.Apply(sequencedEvent))
        {
            return false;
        }

        switch (sequencedEvent.Event)
        {
            case SnapshotEvent:
                TextGeneration++;
                _toolCalls.Clear();
                foreach (var call in _accumulator.ToolCalls)
                {
                    _toolCalls.Add(new ToolCallView(call));
                }

                break;
            case ToolCallStartEvent start:
                _toolCalls.Insert(IndexOf(start.Id), new ToolCallView(FindState(start.Id)));
                break;
            case ToolCallDeltaEvent delta:
                _toolCalls[IndexOf(delta.Id)].Append(delta.Delta);
                break;
            case ToolCallEndEvent end:
                _toolCalls[IndexOf(end.Id)].End();
                break;
            case ErrorEvent error:
                Error = error;
                break;
        }

        if (_accumulator.IsComplete)
        {
            Connection = ConnectionState.Done;
        }
        else if (Connection is ConnectionState.Connecting or ConnectionState.Reconnecting)
        {
            Connection = ConnectionState.Streaming;
        }

        Version++;
        return true;
    }

    /// <summary>Records a change of the connection (the client reports them as it connects, drops and resumes).</summary>
    /// <param name="state">The new state.</param>
    public void SetConnection(ConnectionState state)
    {
        if (Connection == state || (_accumulator.IsComplete && state != ConnectionState.Done))
        {
            return; // A finished message stays finished whatever its connection does next.
        }

        Connection = state;
        Version++;
    }

    /// <summary>Marks the message failed on the client's side (e.g. resuming ran out of attempts).</summary>
    /// <param name="error">What went wrong, as an error event (it is not part of the stream: <see cref="LastSeq"/> stays).</param>
    public void Fail(ErrorEvent error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (_accumulator.IsComplete)
        {
            return;
        }

        Error = error;
        Connection = ConnectionState.Failed;
        Version++;
    }

    // The accumulator keeps calls in index order; the views mirror that order, so a position found there is ours too.
    private int IndexOf(string id)
    {
        var calls = _accumulator.ToolCalls;
        for (var i = 0; i < calls.Count; i++)
        {
            if (calls[i].Id == id)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"Tool call '{id}' is not in the accumulated state.");
    }

    private ToolCallState FindState(string id) => _accumulator.ToolCalls[IndexOf(id)];
}
