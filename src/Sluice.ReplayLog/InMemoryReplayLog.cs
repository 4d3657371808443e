using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Sluice.Protocol;

namespace Sluice.ReplayLog;

/// <summary>
/// The default <see cref="IReplayLog"/>: each stream's events held in memory on this node, bounded by
/// <see cref="ReplayLogOptions"/>, with evicted events compacted into a snapshot.
/// </summary>
/// <remarks>
/// <para>
/// Every operation completes synchronously; the <see cref="ValueTask"/>s exist for the contract's other
/// implementations. Argument errors throw at once; the contract's other failures (unknown stream, out-of-order seq,
/// cancellation) come back as a faulted or cancelled task, as they would from an implementation that does I/O.
/// </para>
/// <para>
/// Reports <c>sluice.log.evictions</c> (events evicted, a counter) on the <c>Sluice.ReplayLog</c> meter when created
/// with an <see cref="IMeterFactory"/>.
/// </para>
/// </remarks>
internal sealed class InMemoryReplayLog : IReplayLog
{
    /// <summary>The name of the meter the log reports on.</summary>
    public const string MeterName = "Sluice.ReplayLog";

    /// <summary>The name of the counter of evicted events.</summary>
    public const string EvictionsCounterName = "sluice.log.evictions";

    private readonly ConcurrentDictionary<string, InMemoryStreamLog> _streams = new(StringComparer.Ordinal);
    private readonly ReplayLogOptions _options;
    private readonly Counter<long>? _evictions;

    // Every stream's held bytes, kept by the streams themselves (one Interlocked.Add per append, none per read).
    private readonly HeldBytesCounter _heldBytes = new();

    /// <summary>Creates an empty log.</summary>
    /// <param name="options">The per-stream bounds.</param>
    /// <param name="meterFactory">Creates the log's meter; without one the log reports no metrics.</param>
    public InMemoryReplayLog(ReplayLogOptions options, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;

        // The factory owns (and disposes) the meter it creates, so the log holds no disposable of its own.
        _evictions = meterFactory?.Create(MeterName).CreateCounter<long>(
            EvictionsCounterName,
            unit: "{event}",
            description: "Events evicted from stream replay logs (folded into each stream's compacted snapshot).");
    }

    /// <inheritdoc />
    public ValueTask CreateAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        return _streams.TryAdd(streamId, new InMemoryStreamLog(_options, _heldBytes))
            ? ValueTask.CompletedTask
            : ValueTask.FromException(new InvalidOperationException($"Stream '{streamId}' already exists."));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="streamId"/> or the event is null.</exception>
    public ValueTask AppendAsync(string streamId, SequencedEvent sequencedEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        if (sequencedEvent.Event is null)
        {
            throw new ArgumentNullException(nameof(sequencedEvent));
        }

        if (sequencedEvent.Event is SnapshotEvent)
        {
            throw new ArgumentException("A snapshot is made by the log for its readers; a stream never appends one.", nameof(sequencedEvent));
        }

        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        if (!_streams.TryGetValue(streamId, out var stream))
        {
            return ValueTask.FromException(StreamNotFound(streamId));
        }

        int evicted;
        try
        {
            evicted = stream.Append(streamId, sequencedEvent);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException)
        {
            return ValueTask.FromException(ex);
        }

        if (evicted > 0)
        {
            _evictions?.Add(evicted);
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<ReplayReadResult> ReadAsync(string streamId, long afterSeq, Memory<SequencedEvent> destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        ArgumentOutOfRangeException.ThrowIfLessThan(afterSeq, -1);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, 2, nameof(destination));
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<ReplayReadResult>(cancellationToken);
        }

        return ValueTask.FromResult(_streams.TryGetValue(streamId, out var stream)
            ? stream.Read(afterSeq, destination.Span)
            : ReplayReadResult.NotFound);
    }

    /// <inheritdoc />
    public long? HeldBytes => _heldBytes.Value;

    /// <inheritdoc />
    public ValueTask WaitForEventAfterAsync(string streamId, long afterSeq, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        if (!_streams.TryGetValue(streamId, out var stream))
        {
            return ValueTask.CompletedTask;
        }

        var task = stream.WaitForEventAfterAsync(afterSeq);
        if (task.IsCompleted)
        {
            return ValueTask.CompletedTask;
        }

        return new ValueTask(cancellationToken.CanBeCanceled ? task.WaitAsync(cancellationToken) : task);
    }

    /// <inheritdoc />
    public ValueTask RemoveAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        if (_streams.TryRemove(streamId, out var stream))
        {
            stream.Remove();
        }

        return ValueTask.CompletedTask;
    }

    internal static KeyNotFoundException StreamNotFound(string streamId) =>
        new($"Stream '{streamId}' does not exist (it was never created, or it was removed).");
}
