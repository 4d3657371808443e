using System.Diagnostics;
using System.Globalization;
using Sluice.Protocol;

namespace Sluice.ReplayLog;

/// <summary>
/// One stream's log inside <see cref="InMemoryReplayLog"/>: the events it still holds, the compacted state of those it
/// evicted, and the signal its waiting readers wait on.
/// </summary>
/// <remarks>Thread-safe: every member takes the stream's lock, and nothing slow (no waiter's continuation) runs under it.</remarks>
internal sealed class InMemoryStreamLog
{
    private const int InitialCapacity = 16;

    private readonly Lock _lock = new();
    private readonly int _maxEvents;
    private readonly long _maxBytes;
    private readonly HeldBytesCounter _total;

    // The held events in a ring, oldest at _start, so that evicting one moves nothing. Seqs are contiguous, so they are
    // not stored: the i-th held event has seq FirstHeldSeq + i. Sizes are not stored either: EventSize.Estimate is
    // cheap and deterministic, so eviction computes the size again rather than every held event carrying 8 more bytes.
    private StreamEvent[] _ring;
    private int _start;
    private int _count;
    private long _heldBytes;
    private long _head = -1;
    private bool _complete;
    private bool _removed;

    // Everything evicted, folded; created on the first eviction, which most streams never reach.
    private StreamAccumulator? _compacted;

    // _compacted.ToSnapshot(), kept until the next eviction changes it: readers that reconnect together (after a
    // deploy, a network blip) then share one snapshot instead of each copying the text under the lock. Once the stream
    // is complete it replaces _compacted (see FreezeCompacted).
    private SnapshotEvent? _snapshot;

    // Tool calls seen (id → ended), created on the first tool_call_start. Appends are checked against it so that an
    // event StreamAccumulator would reject fails when it is appended, never later when it is evicted and folded.
    private Dictionary<string, bool>? _toolCalls;
    private bool _objectEnded;

    // Created only when a reader has to wait, completed and dropped by the next change: an append that nobody waits
    // for allocates nothing. Continuations run asynchronously so a writer never runs a reader's code.
    private TaskCompletionSource? _waiter;

    public InMemoryStreamLog(ReplayLogOptions options, HeldBytesCounter total)
    {
        _total = total;
        _maxEvents = options.MaxEventsPerStream;
        _maxBytes = options.MaxBytesPerStream;
        _ring = new StreamEvent[Math.Min(InitialCapacity, _maxEvents)];
    }

    private long FirstHeldSeq => _head - _count + 1;

    /// <summary>Appends the next event, evicting the oldest held events past the bounds.</summary>
    /// <returns>How many events were evicted.</returns>
    /// <exception cref="KeyNotFoundException">The stream was removed.</exception>
    /// <exception cref="InvalidOperationException">The seq is out of order, the stream is complete, or a tool-call event is inconsistent.</exception>
    public int Append(string streamId, SequencedEvent sequencedEvent)
    {
        var evt = sequencedEvent.Event;
        var size = EventSize.Estimate(evt);
        var evicted = 0;
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            if (_removed)
            {
                throw InMemoryReplayLog.StreamNotFound(streamId);
            }

            if (_complete)
            {
                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Stream '{streamId}' already ended at seq {_head}; nothing may follow its terminal event."));
            }

            if (sequencedEvent.Seq != _head + 1)
            {
                throw new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Stream '{streamId}' expects seq {_head + 1} but got {sequencedEvent.Seq}."));
            }

            CheckToolCall(streamId, evt);

            // Evicting before adding (rather than after) gives the same result and keeps the ring within _maxEvents.
            var heldBefore = _heldBytes;
            while (_count > 0 && (_count >= _maxEvents || _heldBytes + size > _maxBytes))
            {
                EvictOldest();
                evicted++;
            }

            if (_count == _ring.Length)
            {
                Grow();
            }

            _ring[Slot(_count)] = evt;
            _count++;
            _heldBytes += size;
            _total.Add(_heldBytes - heldBefore);
            _head = sequencedEvent.Seq;
            TrackToolCall(evt);
            if (evt.IsTerminal)
            {
                _complete = true;
                TrimExcess();
                FreezeCompacted();
            }

            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
        return evicted;
    }

    /// <summary>Copies the events after <paramref name="afterSeq"/>, led by a snapshot when the next one was evicted.</summary>
    public ReplayReadResult Read(long afterSeq, Span<SequencedEvent> destination)
    {
        Debug.Assert(destination.Length >= 2, "The caller checks that a snapshot and one event fit.");
        lock (_lock)
        {
            if (_removed)
            {
                return ReplayReadResult.NotFound;
            }

            if (afterSeq >= _head)
            {
                return new ReplayReadResult(Found: true, Count: 0, StartsWithSnapshot: false, _head, _complete);
            }

            // Under the one lock, the snapshot and the events copied after it describe the same moment: the snapshot
            // ends exactly where the first held event begins.
            var next = afterSeq + 1;
            var written = 0;
            var firstHeld = FirstHeldSeq;
            if (next < firstHeld)
            {
                var snapshot = _snapshot ??= _compacted!.ToSnapshot();
                Debug.Assert(snapshot.UpTo == firstHeld - 1, "Evicted events are all compacted.");
                destination[0] = new SequencedEvent(snapshot.UpTo, snapshot);
                written = 1;
                next = firstHeld;
            }

            var offset = (int)(next - firstHeld);
            var copy = Math.Min(_count - offset, destination.Length - written);
            for (var i = 0; i < copy; i++)
            {
                destination[written + i] = new SequencedEvent(next + i, _ring[Slot(offset + i)]);
            }

            return new ReplayReadResult(Found: true, written + copy, StartsWithSnapshot: written == 1, _head, _complete);
        }
    }

    /// <summary>
    /// What a reader waits on for an event after <paramref name="afterSeq"/>: a completed task when it need not wait
    /// (the event is there, or the stream is complete or removed).
    /// </summary>
    public Task WaitForEventAfterAsync(long afterSeq)
    {
        lock (_lock)
        {
            if (_removed || _complete || _head > afterSeq)
            {
                return Task.CompletedTask;
            }

            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

            // A signal, not work: completing it runs nothing of ours, so awaiting it cannot deadlock on a context.
#pragma warning disable VSTHRD003
            return _waiter.Task;
#pragma warning restore VSTHRD003
        }
    }

    /// <summary>Marks the stream removed, so a caller that found it just before its removal fails, and releases waiters.</summary>
    public void Remove()
    {
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            if (!_removed)
            {
                _total.Add(-_heldBytes);
            }

            _removed = true;
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
    }

    private int Slot(int index)
    {
        var slot = _start + index;
        return slot < _ring.Length ? slot : slot - _ring.Length;
    }

    private void EvictOldest()
    {
        var evt = _ring[_start];
        var seq = FirstHeldSeq;

        // Clear the slot so the evicted event (and its text) can be collected; its effect lives on in _compacted.
        _ring[_start] = null!;
        _start = _start + 1 == _ring.Length ? 0 : _start + 1;
        _count--;
        _heldBytes -= EventSize.Estimate(evt);

        var applied = (_compacted ??= new StreamAccumulator()).Apply(new SequencedEvent(seq, evt));
        Debug.Assert(applied, "Evicted events are contiguous and after the compacted state.");
        _snapshot = null;
    }

    private void Grow()
    {
        // Only reached below _maxEvents (eviction keeps _count under it before an add), so the ring always grows.
        Resize((int)Math.Min((long)_ring.Length * 2, _maxEvents));
    }

    // A finished stream never grows again but may be retained for a while: doubling leaves up to half the ring empty
    // (1.7 KB of a typical 300-token run's 4 KB ring), so give it back once, when the terminal event arrives. Only
    // when that frees a quarter of the ring or more: trimming copies the rest, which is not worth a few slots.
    private void TrimExcess()
    {
        var waste = _ring.Length - _count;
        if (waste >= 16 && waste >= _ring.Length / 4)
        {
            Resize(_count);
        }
    }

    // A finished stream evicts nothing more, so its snapshot is final: build it once and drop the accumulator, whose
    // builders hold the same text with room to grow, while the stream is retained.
    private void FreezeCompacted()
    {
        if (_compacted is not null)
        {
            _snapshot ??= _compacted.ToSnapshot();
            _compacted = null;
        }
    }

    private void Resize(int capacity)
    {
        var resized = new StreamEvent[capacity];
        for (var i = 0; i < _count; i++)
        {
            resized[i] = _ring[Slot(i)];
        }

        _ring = resized;
        _start = 0;
    }

    // The same rules StreamAccumulator enforces; kept in step with it so that folding an evicted event cannot throw.
    private void CheckToolCall(string streamId, StreamEvent evt)
    {
        string? problem = evt switch
        {
            ToolCallStartEvent start when _toolCalls?.ContainsKey(start.Id) == true => $"tool call '{start.Id}' was already started",
            ToolCallDeltaEvent delta => OpenCallProblem(delta.Id),
            ToolCallEndEvent end => OpenCallProblem(end.Id),
            ObjectEvent when _objectEnded => "the structured output has already ended",
            _ => null,
        };
        if (problem is not null)
        {
            throw new InvalidOperationException($"Stream '{streamId}' cannot take this event: {problem}.");
        }
    }

    private string? OpenCallProblem(string id)
    {
        if (_toolCalls is null || !_toolCalls.TryGetValue(id, out var ended))
        {
            return $"tool call '{id}' was never started";
        }

        return ended ? $"tool call '{id}' has already ended" : null;
    }

    private void TrackToolCall(StreamEvent evt)
    {
        switch (evt)
        {
            case ToolCallStartEvent start:
                (_toolCalls ??= new Dictionary<string, bool>(StringComparer.Ordinal))[start.Id] = false;
                break;
            case ToolCallEndEvent end:
                _toolCalls![end.Id] = true;
                break;
            case ObjectEvent { IsFinal: true }:
                _objectEnded = true;
                break;
        }
    }
}
