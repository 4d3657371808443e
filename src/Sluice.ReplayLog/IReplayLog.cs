using Sluice.Protocol;

namespace Sluice.ReplayLog;

/// <summary>
/// The ordered, bounded record of each stream's events, from which every subscriber reads at its own position.
/// </summary>
/// <remarks>
/// <para>
/// One writer per stream (its run) appends events in seq order; any number of readers read from any position and
/// wait for more. Implementations: in memory (the default, one node) and Redis Streams (several nodes).
/// </para>
/// <para>
/// Bounded: when a stream passes its event or byte budget, the oldest events are evicted, but their effect is
/// kept as a compacted state. A reader whose position was evicted receives a <see cref="SnapshotEvent"/> (the
/// whole state through the seq before the oldest event still held), then the events after it: nothing is lost and
/// nothing repeats.
/// </para>
/// <para>
/// A reader's loop: read after its cursor, write what it got, move the cursor to the last seq written; stop at the
/// terminal event (<c>done</c>/<c>error</c>); otherwise wait with <see cref="WaitForEventAfterAsync"/> and read again.
/// The wait returns at once for a complete stream, so a loop that ignores the terminal event would spin. A cursor
/// beyond the head reads nothing and waits until the head passes it: callers validate client positions first.
/// </para>
/// <para>
/// Errors: invalid arguments throw at once; an unknown stream, an out-of-order seq, an event after the terminal one or
/// an inconsistent tool-call event (a delta or end for a call never started) fail the returned task. The one writer
/// (the run) does not cancel appends, so an implementation over the network need not make a re-sent append
/// idempotent. An implementation whose store is out of the process fails with <see cref="ReplayLogUnavailableException"/>
/// when the store cannot be reached or times out, rather than hang.
/// </para>
/// <para>All members are thread-safe.</para>
/// </remarks>
public interface IReplayLog
{
    /// <summary>Creates the (empty) log of a new stream; appends and reads of unknown streams fail.</summary>
    /// <param name="streamId">The stream id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="InvalidOperationException">The stream already exists.</exception>
    ValueTask CreateAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>Appends the next event of a stream and wakes its waiting readers.</summary>
    /// <param name="streamId">The stream id.</param>
    /// <param name="sequencedEvent">The event; its seq must be exactly one more than the last appended (0 first).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <exception cref="KeyNotFoundException">The stream does not exist (never created, or removed).</exception>
    /// <exception cref="InvalidOperationException">The seq is out of order, or the stream already has its terminal event.</exception>
    ValueTask AppendAsync(string streamId, SequencedEvent sequencedEvent, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads the events after <paramref name="afterSeq"/> into <paramref name="destination"/>, oldest first. When the
    /// log no longer holds <c>afterSeq + 1</c>, the first element written is a <see cref="SnapshotEvent"/> (with
    /// seq = its <see cref="SnapshotEvent.UpTo"/>) followed by the events after it.
    /// </summary>
    /// <param name="streamId">The stream id.</param>
    /// <param name="afterSeq">The last seq the reader has; -1 to read from the start.</param>
    /// <param name="destination">Where events go; at least 2 long, so a snapshot and one event always fit.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>How many elements were written, with the stream's state; <see cref="ReplayReadResult.Found"/> is false for an unknown stream.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="afterSeq"/> is below -1, or <paramref name="destination"/> is shorter than 2.</exception>
    ValueTask<ReplayReadResult> ReadAsync(string streamId, long afterSeq, Memory<SequencedEvent> destination, CancellationToken cancellationToken = default);

    /// <summary>
    /// Completes when the stream holds an event after <paramref name="afterSeq"/> (at once if it already does), when it
    /// is complete, or when it is removed or unknown.
    /// </summary>
    /// <param name="streamId">The stream id.</param>
    /// <param name="afterSeq">The last seq the reader has.</param>
    /// <param name="cancellationToken">Stops waiting (the task is then cancelled).</param>
    /// <returns>A task that completes as described.</returns>
    ValueTask WaitForEventAfterAsync(string streamId, long afterSeq, CancellationToken cancellationToken = default);

    /// <summary>Forgets a stream (its retention ended); waiting readers are released. Removing an unknown stream does nothing.</summary>
    /// <param name="streamId">The stream id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the stream is gone.</returns>
    ValueTask RemoveAsync(string streamId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The bytes this log holds in this process's memory, over every stream: the sum of each stream's held events as
    /// estimated by <see cref="EventSize.Estimate"/> (what <see cref="ReplayLogOptions.MaxBytesPerStream"/> bounds per
    /// stream; the compacted state of evicted events is not counted). A gateway compares it with its total budget for
    /// logs before it starts new runs. <see langword="null"/> (the default) when the log keeps its events outside the
    /// process, as a network store does.
    /// </summary>
    /// <remarks>Cheap to read (no lock, no enumeration of streams); a moment's value, not a snapshot across streams.</remarks>
    long? HeldBytes => null;
}
