using System.Globalization;
using Sluice.Protocol;
using StackExchange.Redis;

namespace Sluice.ReplayLog.Redis;

/// <summary>
/// The writing side of one stream on the node that runs it: checks each append at once, keeps the held events and
/// the compacted state that the bounds need, and writes the queued appends to Redis in batches, one script call each.
/// </summary>
/// <remarks>
/// <para>
/// An append is checked and queued under the writer's lock and returns; a flush loop (at most one per stream) sends
/// everything queued as one batch, then the next. A producer faster than a round trip therefore fills batches, and a
/// slow one sends each event as it comes, without waiting for it. An append waits only for its terminal event (the
/// stream's end is durable when the append completes) and when <see cref="RedisReplayLogOptions.MaxQueuedEvents"/> are
/// queued (backpressure).
/// </para>
/// <para>
/// A batch that fails because Redis is unavailable stays queued: the next append fails with that
/// <see cref="ReplayLogUnavailableException"/> (once, and without being queued; unless a retry wrote the batch first),
/// and the batch is sent again with the next append, when the connection is restored, or a second after the failure, again and again until Redis takes it
/// (or for <see cref="RedisReplayLogOptions.KeyTimeToLive"/>, after which the keys would be gone anyway). A terminal
/// append that fails this way stays queued too (it is the end of the stream, written once Redis is back), so its
/// failure means "not known to be written". The script skips what Redis already holds, so a batch that timed
/// out after it was written is not written twice. A stream that is gone from Redis, or whose head is not where this
/// writer left it, abandons the writer: every later call fails.
/// </para>
/// </remarks>
internal sealed class RedisStreamWriter
{
    private const long NoWait = long.MinValue;

    /// <summary>How long after a failed batch the writer sends its queue again (unless an append or a reconnect does first).</summary>
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly RedisReplayLog _log;
    private readonly Lock _lock = new();
    private readonly int _maxEvents;
    private readonly long _maxBytes;
    private readonly int _maxQueued;
    private readonly EventCodec _codec = new();         // appends, under the lock
    private readonly EventCodec _snapshotCodec = new(); // the flush loop, one at a time

    // The events the log holds (oldest first; seqs contiguous up to _head) with their estimated sizes, kept here so
    // that eviction can fold them into _compacted without reading them back from Redis.
    private readonly HeldEvents _held = new();
    private readonly ToolCallTracker _tools = new();

    // The appended events not yet known to be in Redis, as the JSON the entries hold; the first is _committed + 1.
    private readonly List<RedisValue> _pending = [];
    private long _heldBytes;
    private long _head = -1;
    private long _committed = -1;
    private bool _complete;
    private StreamAccumulator? _compacted;
    private bool _snapshotChanged;
    private bool _flushing;
    private Task? _flushTask;
    private ReplayLogUnavailableException? _failure;
    private bool _failureReported;
    private Exception? _abandoned;
    private ITimer? _retry;
    private long _failingSince; // timestamp of the first failed batch in a row; 0 while writes succeed

    // Created only when someone waits for a commit; completed (or failed) and dropped by the end of each batch.
    private TaskCompletionSource? _commitSignal;

    public RedisStreamWriter(RedisReplayLog log, string streamId, StreamKeys keys, RedisReplayLogOptions options)
    {
        _log = log;
        StreamId = streamId;
        Keys = keys;
        _maxEvents = options.Log.MaxEventsPerStream;
        _maxBytes = options.Log.MaxBytesPerStream;
        _maxQueued = options.MaxQueuedEvents;
    }

    public string StreamId { get; }

    public StreamKeys Keys { get; }

    /// <summary>The flush in flight, if any (awaited when the log is disposed).</summary>
#pragma warning disable VSTHRD003 // The writer's own work, started by an append; only awaited to know it is over.
    public Task? FlushTask => Volatile.Read(ref _flushTask);
#pragma warning restore VSTHRD003

    private long OldestHeld => _head - _held.Count + 1;

    /// <summary>Rebuilds the writer of a running stream from what Redis holds (after another node, or a restart, wrote it).</summary>
    public static RedisStreamWriter Restore(
        RedisReplayLog log, string streamId, StreamKeys keys, RedisReplayLogOptions options, long head, SnapshotEvent? snapshot, List<SequencedEvent> held)
    {
        var writer = new RedisStreamWriter(log, streamId, keys, options);
        if (snapshot is not null)
        {
            writer._compacted = new StreamAccumulator();
            writer._compacted.Apply(new SequencedEvent(snapshot.UpTo, snapshot));
            writer._tools.Track(snapshot);
        }

        foreach (var sequenced in held)
        {
            var size = EventSize.Estimate(sequenced.Event);
            writer._held.Enqueue((sequenced.Event, size));
            writer._heldBytes += size;
            writer._tools.Track(sequenced.Event);
        }

        writer._head = writer._committed = head;
        return writer;
    }

    /// <summary>Whether a reader after <paramref name="afterSeq"/> need not wait (an event after it was appended here, or the end).</summary>
    public bool HasEventAfter(long afterSeq)
    {
        lock (_lock)
        {
            return _complete || _head > afterSeq;
        }
    }

    /// <summary>
    /// Reads the events after <paramref name="afterSeq"/> that are in Redis from what this writer holds: the same
    /// answer as a read of Redis, without the round trip. Only events already written are returned, so a reader here
    /// never holds one that other nodes cannot read.
    /// </summary>
    /// <returns>
    /// False when Redis must answer: the position is no longer held here (the reader needs the snapshot), nothing
    /// written follows it, or the writer was given up.
    /// </returns>
    public bool TryReadWritten(long afterSeq, Span<SequencedEvent> destination, out ReplayReadResult result)
    {
        lock (_lock)
        {
            result = default;
            var count = (int)Math.Min(_committed - afterSeq, destination.Length);
            if (_abandoned is not null || afterSeq + 1 < OldestHeld || count <= 0)
            {
                return false;
            }

            var offset = (int)(afterSeq + 1 - OldestHeld);
            for (var i = 0; i < count; i++)
            {
                destination[i] = new SequencedEvent(afterSeq + 1 + i, _held[offset + i]);
            }

            result = new ReplayReadResult(Found: true, count, StartsWithSnapshot: false, _committed, IsComplete: _complete && _committed == _head);
            return true;
        }
    }

    /// <summary>Checks and queues the next event; see the class remarks for when the returned task waits.</summary>
    public ValueTask AppendAsync(SequencedEvent sequencedEvent, CancellationToken cancellationToken)
    {
        var evt = sequencedEvent.Event;
        var size = EventSize.Estimate(evt);
        var evicted = 0;
        var start = false;
        long waitFor;
        lock (_lock)
        {
            if (_abandoned is not null)
            {
                return ValueTask.FromException(_abandoned);
            }

            if (_failure is not null && !_failureReported)
            {
                _failureReported = true;
                return ValueTask.FromException(_failure);
            }

            if (_complete)
            {
                return ValueTask.FromException(new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Stream '{StreamId}' already ended at seq {_head}; nothing may follow its terminal event.")));
            }

            if (sequencedEvent.Seq != _head + 1)
            {
                return ValueTask.FromException(new InvalidOperationException(string.Create(
                    CultureInfo.InvariantCulture,
                    $"Stream '{StreamId}' expects seq {_head + 1} but got {sequencedEvent.Seq}.")));
            }

            if (_tools.Problem(evt) is { } problem)
            {
                return ValueTask.FromException(new InvalidOperationException($"Stream '{StreamId}' cannot take this event: {problem}."));
            }

            var json = _codec.Encode(sequencedEvent);

            // The same bounds and order as the in-memory log: evict before adding; the newest event is never evicted.
            while (_held.Count > 0 && (_held.Count >= _maxEvents || _heldBytes + size > _maxBytes))
            {
                EvictOldest();
                evicted++;
            }

            _held.Enqueue((evt, size));
            _heldBytes += size;
            _head = sequencedEvent.Seq;
            _tools.Track(evt);
            _complete = evt.IsTerminal;
            _pending.Add(json);
            if (!_flushing)
            {
                _flushing = start = true;
            }

            // The terminal event waits until the end is in Redis; a full queue waits for the batch in flight.
            waitFor = _complete ? _head : _pending.Count >= _maxQueued ? _committed + 1 : NoWait;
        }

        if (evicted > 0)
        {
            _log.ReportEvictions(evicted);
        }

        if (start)
        {
            Volatile.Write(ref _flushTask, FlushAsync());
        }

        if (waitFor == NoWait)
        {
            return ValueTask.CompletedTask;
        }

        return new ValueTask(evt.IsTerminal ? WhenCommittedAsync(waitFor, cancellationToken) : WaitForRoomAsync(waitFor, cancellationToken));
    }

    /// <summary>Completes when everything appended so far is in Redis (a read on this node sees its own appends).</summary>
    /// <exception cref="Exception">Why it cannot be: the writer's failure, or why it was abandoned.</exception>
    public Task WhenAppendedCommittedAsync(CancellationToken cancellationToken)
    {
        long head;
        lock (_lock)
        {
            head = _head;
        }

        return WhenCommittedAsync(head, cancellationToken);
    }

    /// <summary>Starts sending what is queued again, if a failed batch left it there (the connection is back).</summary>
    public void Resume()
    {
        lock (_lock)
        {
            if (_flushing || _pending.Count == 0 || _abandoned is not null)
            {
                return;
            }

            _flushing = true;
        }

        Volatile.Write(ref _flushTask, FlushAsync());
    }

    /// <summary>Gives the writer up: what is queued is dropped, and every later call fails with <paramref name="reason"/>.</summary>
    public void Abandon(Exception reason)
    {
        TaskCompletionSource? signal;
        ITimer? retry;
        lock (_lock)
        {
            _abandoned ??= reason;
            _pending.Clear();
            signal = _commitSignal;
            _commitSignal = null;
            retry = _retry;
            _retry = null;
        }

        retry?.Dispose();
        signal?.TrySetException(reason);
    }

    // Backpressure only: this append's event is queued, so a failed write is not its failure. The next append
    // reports it (and is not queued), as after any failed batch.
    private async Task WaitForRoomAsync(long seq, CancellationToken cancellationToken)
    {
        try
        {
            await WhenCommittedAsync(seq, cancellationToken).ConfigureAwait(false);
        }
        catch (ReplayLogUnavailableException)
        {
            // Reported by the next append.
        }
    }

    private async Task WhenCommittedAsync(long seq, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task signal;
            lock (_lock)
            {
                if (_committed >= seq)
                {
                    return;
                }

                if (_abandoned is not null)
                {
                    throw _abandoned;
                }

                if (!_flushing)
                {
                    // Nothing in flight yet events missing: the last batch failed and waits to be sent again.
                    throw (Exception?)_failure ?? new InvalidOperationException("Unreachable: events are queued but no write is in flight.");
                }

                // A signal, not work: completing it runs nothing of ours, so awaiting it cannot deadlock on a context.
#pragma warning disable VSTHRD003
                signal = (_commitSignal ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).Task;
            }

            await signal.WaitAsync(cancellationToken).ConfigureAwait(false);
#pragma warning restore VSTHRD003
        }
    }

    private async Task FlushAsync()
    {
        while (true)
        {
            RedisValue[] args;
            int count;
            long last;
            bool complete;
            bool snapshotChanged;
            SnapshotEvent? snapshot;
            lock (_lock)
            {
                if (_pending.Count == 0 || _abandoned is not null)
                {
                    _flushing = false;
                    return;
                }

                // Everything queued goes, so the meta fields below (the state after the last queued event) describe
                // exactly the batch's end.
                count = _pending.Count;
                last = _head;
                complete = _complete;
                snapshotChanged = _snapshotChanged;
                _snapshotChanged = false;
                snapshot = snapshotChanged ? _compacted!.ToSnapshot() : null;
                args = new RedisValue[10 + count];
                args[0] = last - count + 1;
                args[1] = _maxEvents;
                args[2] = complete ? RedisScripts.Complete : RedisScripts.Running;
                args[3] = OldestHeld;
                args[4] = _heldBytes;
                _pending.CopyTo(args, 10);
            }

            args[5] = _log.TimeToLiveMilliseconds;
            args[6] = _log.WakeChannelName;
            args[7] = WaiterRegistry.Message(StreamId, last, complete ? StreamState.Complete : StreamState.Running);
            args[8] = snapshot is null ? RedisValue.EmptyString : snapshot.UpTo;
            args[9] = snapshot is null ? RedisValue.EmptyString : _snapshotCodec.Encode(new SequencedEvent(snapshot.UpTo, snapshot));

            RedisResult[] result;
            try
            {
                result = (RedisResult[])(await _log.EvaluateAsync(RedisScripts.Append, Keys, args, StreamId).ConfigureAwait(false))!;
            }
            catch (ReplayLogUnavailableException ex)
            {
                Fail(ex, snapshotChanged);
                return;
            }

            switch ((long)result[0])
            {
                case 1:
                    Commit(count, last);
                    if (complete)
                    {
                        // Nothing can follow: a finished stream is served from Redis alone.
                        _log.Forget(this);
                    }

                    break;
                case 0:
                    Abandon(RedisReplayLog.StreamNotFound(StreamId));
                    _log.Forget(this);
                    return;
                default:
                    Abandon(new InvalidOperationException(string.Create(
                        CultureInfo.InvariantCulture,
                        $"Stream '{StreamId}' has head {(long)result[1]} in Redis, but this node's next batch starts at seq {last - count + 1}: another writer changed it.")));
                    _log.Forget(this);
                    return;
            }
        }
    }

    private void Commit(int count, long last)
    {
        TaskCompletionSource? signal;
        ITimer? retry;
        lock (_lock)
        {
            retry = _retry;
            _retry = null;
            _pending.RemoveRange(0, count);
            _committed = last;
            _failure = null;
            _failureReported = false;
            _failingSince = 0;
            signal = _commitSignal;
            _commitSignal = null;
        }

        retry?.Dispose();
        signal?.TrySetResult();
    }

    private void Fail(ReplayLogUnavailableException failure, bool snapshotChanged)
    {
        TaskCompletionSource? signal;
        bool givenUp;
        var time = _log.TimeProvider;
        lock (_lock)
        {
            _snapshotChanged |= snapshotChanged;
            _failure = failure;
            _failureReported = false;
            _flushing = false;
            signal = _commitSignal;
            _commitSignal = null;
            if (_failingSince == 0)
            {
                _failingSince = time.GetTimestamp();
            }

            givenUp = time.GetElapsedTime(_failingSince) > _log.Options.KeyTimeToLive;
            if (!givenUp && _abandoned is null)
            {
                // The timer only calls Resume, which takes the lock: nothing runs under this one.
                (_retry ??= time.CreateTimer(static state => ((RedisStreamWriter)state!).Resume(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan))
                    .Change(RetryDelay, Timeout.InfiniteTimeSpan);
            }
        }

        signal?.TrySetException(failure);
        if (givenUp)
        {
            Abandon(failure);
            _log.Forget(this);
        }
    }

    private void EvictOldest()
    {
        var seq = OldestHeld;
        var (evt, size) = _held.Dequeue();
        _heldBytes -= size;
        (_compacted ??= new StreamAccumulator()).Apply(new SequencedEvent(seq, evt));
        _snapshotChanged = true;
    }
}
