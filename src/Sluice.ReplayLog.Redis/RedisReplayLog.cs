using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using Sluice.Protocol;
using StackExchange.Redis;

namespace Sluice.ReplayLog.Redis;

/// <summary>
/// An <see cref="IReplayLog"/> in Redis, shared by every gateway node: one Redis stream and one hash per stream (see
/// <see cref="RedisScripts"/> for the layout), appends written in batches, and waiting readers woken over one pub/sub
/// channel per log.
/// </summary>
/// <remarks>
/// <para>
/// Writing: the node that creates a stream keeps a <see cref="RedisStreamWriter"/> for it (another node that appends
/// first rebuilds one from Redis). An append is checked and queued at once and written with those queued before it in
/// one script call, which also trims the stream, stores the compacted snapshot when events were evicted, refreshes the
/// keys' TTL and publishes <c>{head} {state} {id}</c> on the wake-up channel. A read on the writing node first waits
/// for that node's queued appends, so it sees them.
/// </para>
/// <para>
/// Reading: one script reads the meta hash and the entries after the reader's position. When the position is before
/// the oldest event the log still holds, the read starts with the snapshot stored with that oldest seq; every entry's
/// seq is checked against the one expected, so entries lost under the log (trimmed by hand, evicted by a
/// <c>maxmemory</c> policy) fail the read rather than leave a silent gap.
/// </para>
/// <para>
/// Waiting: the log subscribes once to its channel; a waiting reader is registered before it reads the head, so a
/// wake-up cannot slip between the two. A connection failure fails the waiting readers with
/// <see cref="ReplayLogUnavailableException"/>; every <see cref="RedisReplayLogOptions.WaitRecheckInterval"/> the
/// streams with waiting readers are checked in Redis, which catches a wake-up lost on a reconnect and keys that
/// expired.
/// </para>
/// <para>
/// Errors: Redis unreachable, timing out or refusing a command fails the operation with
/// <see cref="ReplayLogUnavailableException"/> (the client's exception inside). The connection is retried in the
/// background, and the log works again once it is back.
/// </para>
/// </remarks>
internal sealed class RedisReplayLog : IReplayLog, IAsyncDisposable
{
    /// <summary>The meter the log reports on (the same as the in-memory log's).</summary>
    public const string MeterName = "Sluice.ReplayLog";

    /// <summary>The counter of evicted events.</summary>
    public const string EvictionsCounterName = "sluice.log.evictions";

    private static readonly RedisValue[] HeadFields = ["head", "status"];

    private readonly ConcurrentDictionary<string, RedisStreamWriter> _writers = new(StringComparer.Ordinal);
    private readonly WaiterRegistry _waiters = new();
    private readonly RedisReplayLogOptions _options;
    private readonly RedisChannel _channel;
    private readonly Counter<long>? _evictions;
    private readonly TimeProvider _timeProvider;
    private readonly ConfigurationOptions? _configuration;
    private readonly Action<RedisChannel, RedisValue> _onWake;
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _disposing = new();
    private IConnectionMultiplexer? _multiplexer;
    private Task<IConnectionMultiplexer>? _connecting;
    private Task? _subscribing;
    private Task? _recheckLoop;
    private volatile bool _disposed;

    /// <summary>Creates a log over a connection that the caller owns (and disposes).</summary>
    public RedisReplayLog(IConnectionMultiplexer multiplexer, RedisReplayLogOptions options, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null)
        : this(options, meterFactory, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(multiplexer);
        _multiplexer = multiplexer;
        Attach(multiplexer);
    }

    /// <summary>Creates a log that connects on first use, and owns (and disposes) its connection.</summary>
    public RedisReplayLog(ConfigurationOptions configuration, RedisReplayLogOptions options, IMeterFactory? meterFactory = null, TimeProvider? timeProvider = null)
        : this(options, meterFactory, timeProvider)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        _configuration = configuration;
    }

    private RedisReplayLog(RedisReplayLogOptions options, IMeterFactory? meterFactory, TimeProvider? timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _timeProvider = timeProvider ?? TimeProvider.System;
        WakeChannelName = options.KeyPrefix + "wake";
        _channel = RedisChannel.Literal(WakeChannelName);
        TimeToLiveMilliseconds = (long)options.KeyTimeToLive.TotalMilliseconds;
        _onWake = OnWake;

        // The factory owns (and disposes) the meter it creates.
        _evictions = meterFactory?.Create(MeterName).CreateCounter<long>(
            EvictionsCounterName,
            unit: "{event}",
            description: "Events evicted from stream replay logs (folded into each stream's compacted snapshot).");
    }

    /// <summary>The log's settings.</summary>
    public RedisReplayLogOptions Options => _options;

    /// <summary>The clock of the re-checks and of the writers' retries.</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>The pub/sub channel of wake-ups: <c>{KeyPrefix}wake</c>.</summary>
    public string WakeChannelName { get; }

    /// <summary>The keys' TTL, as the scripts take it.</summary>
    public long TimeToLiveMilliseconds { get; }

    /// <summary>The keys of a stream.</summary>
    public StreamKeys KeysOf(string streamId) => StreamKeys.For(_options.KeyPrefix, streamId);

    /// <inheritdoc />
    public ValueTask CreateAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled(cancellationToken)
            : new ValueTask(CreateCoreAsync(streamId, cancellationToken));
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentNullException"><paramref name="streamId"/> or the event is null.</exception>
    /// <remarks>
    /// Completes once the event is checked and queued (see <see cref="RedisStreamWriter"/>); the terminal event's
    /// append completes once the stream's end is in Redis. A failed write fails the next append with
    /// <see cref="ReplayLogUnavailableException"/>.
    /// </remarks>
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

        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        return _writers.TryGetValue(streamId, out var writer)
            ? writer.AppendAsync(sequencedEvent, cancellationToken)
            : new ValueTask(LoadAndAppendAsync(streamId, sequencedEvent, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask<ReplayReadResult> ReadAsync(string streamId, long afterSeq, Memory<SequencedEvent> destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        ArgumentOutOfRangeException.ThrowIfLessThan(afterSeq, -1);
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, 2, nameof(destination));
        ObjectDisposedException.ThrowIf(_disposed, this);
        return cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled<ReplayReadResult>(cancellationToken)
            : new ValueTask<ReplayReadResult>(ReadCoreAsync(streamId, afterSeq, destination, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask WaitForEventAfterAsync(string streamId, long afterSeq, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        // The writing node knows its own appends without asking Redis (the read that follows waits for them).
        if (_writers.TryGetValue(streamId, out var writer) && writer.HasEventAfter(afterSeq))
        {
            return ValueTask.CompletedTask;
        }

        return new ValueTask(WaitCoreAsync(streamId, afterSeq, cancellationToken));
    }

    /// <inheritdoc />
    public ValueTask RemoveAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return cancellationToken.IsCancellationRequested
            ? ValueTask.FromCanceled(cancellationToken)
            : new ValueTask(RemoveCoreAsync(streamId, cancellationToken));
    }

    /// <summary>Stops the re-checks, fails waiting readers, lets writes in flight end, and closes an owned connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _disposing.CancelAsync().ConfigureAwait(false);
        Task? recheckLoop;
        Task? connecting;
        lock (_lock)
        {
            recheckLoop = _recheckLoop;
            connecting = _connecting;
        }

        if (recheckLoop is not null)
        {
            await recheckLoop.ConfigureAwait(false);
        }

        _waiters.FailAll(new ObjectDisposedException(nameof(RedisReplayLog)));
        foreach (var writer in _writers.Values)
        {
            if (writer.FlushTask is { } flush)
            {
                // A write's failure is the writer's to report; here it only has to be over.
                await flush.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            // No more retries: the connection is going.
            writer.Abandon(new ObjectDisposedException(nameof(RedisReplayLog)));
        }

        if (connecting is not null)
        {
            await connecting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (Volatile.Read(ref _multiplexer) is { } multiplexer)
        {
            multiplexer.ConnectionFailed -= OnConnectionFailed;
            multiplexer.ConnectionRestored -= OnConnectionRestored;
            if (_configuration is not null)
            {
                await multiplexer.DisposeAsync().ConfigureAwait(false);
            }
            else
            {
                try
                {
                    await multiplexer.GetSubscriber().UnsubscribeAsync(_channel, _onWake).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsStoreFailure(ex))
                {
                    // The connection is the caller's and may be down; the subscription goes with it.
                }
            }
        }

        _disposing.Dispose();
    }

    internal static KeyNotFoundException StreamNotFound(string streamId) =>
        new($"Stream '{streamId}' does not exist (it was never created, or it was removed).");

    /// <summary>Runs a script; Redis failures become <see cref="ReplayLogUnavailableException"/>.</summary>
    internal async Task<RedisResult> EvaluateAsync(string script, StreamKeys keys, RedisValue[] args, string streamId)
    {
        var multiplexer = await MultiplexerAsync().ConfigureAwait(false);
        try
        {
            return await multiplexer.GetDatabase().ScriptEvaluateAsync(script, keys.Both, args).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            throw Unavailable(streamId, ex);
        }
    }

    internal void ReportEvictions(int count) => _evictions?.Add(count);

    /// <summary>Drops a writer that has nothing more to write (its stream ended, or it was abandoned).</summary>
    internal void Forget(RedisStreamWriter writer) =>
        _writers.TryRemove(new KeyValuePair<string, RedisStreamWriter>(writer.StreamId, writer));

    internal static bool IsStoreFailure(Exception exception) => exception is RedisException or RedisTimeoutException;

    private static ReplayLogUnavailableException Unavailable(string streamId, Exception exception) =>
        new($"Redis could not serve the replay log of stream '{streamId}': {exception.Message}", exception);

    private async Task CreateCoreAsync(string streamId, CancellationToken cancellationToken)
    {
        var keys = KeysOf(streamId);
        var created = (long)await EvaluateAsync(RedisScripts.Create, keys, [TimeToLiveMilliseconds], streamId)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        if (created == 0)
        {
            throw new InvalidOperationException($"Stream '{streamId}' already exists.");
        }

        // A writer left from an earlier stream of the same id (removed on another node) must not write into this one.
        var writer = new RedisStreamWriter(this, streamId, keys, _options);
        _writers.AddOrUpdate(
            streamId,
            writer,
            (id, stale) =>
            {
                stale.Abandon(StreamNotFound(id));
                return writer;
            });
    }

    private async Task LoadAndAppendAsync(string streamId, SequencedEvent sequencedEvent, CancellationToken cancellationToken)
    {
        var writer = await LoadWriterAsync(streamId, cancellationToken).ConfigureAwait(false);
        await writer.AppendAsync(sequencedEvent, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RedisStreamWriter> LoadWriterAsync(string streamId, CancellationToken cancellationToken)
    {
        var keys = KeysOf(streamId);
        var result = await EvaluateAsync(RedisScripts.Load, keys, [], streamId).WaitAsync(cancellationToken).ConfigureAwait(false);
        if (result.IsNull)
        {
            throw StreamNotFound(streamId);
        }

        var items = (RedisResult[])result!;
        var head = (long)items[0];
        if ((string?)items[1] == RedisScripts.Complete)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture, $"Stream '{streamId}' already ended at seq {head}; nothing may follow its terminal event."));
        }

        var oldest = (long)items[2];
        var snapshot = oldest > 0 ? ParseSnapshot(streamId, (byte[]?)items[3], oldest) : null;
        var entries = (RedisResult[])items[4]!;
        var held = new List<SequencedEvent>(entries.Length);
        foreach (var entry in entries)
        {
            held.Add(ParseEntry(streamId, entry, oldest + held.Count));
        }

        if (oldest + held.Count - 1 != head)
        {
            throw LostEvents(streamId, oldest + held.Count, head);
        }

        return _writers.GetOrAdd(streamId, RedisStreamWriter.Restore(this, streamId, keys, _options, head, snapshot, held));
    }

    private async Task<ReplayReadResult> ReadCoreAsync(string streamId, long afterSeq, Memory<SequencedEvent> destination, CancellationToken cancellationToken)
    {
        if (_writers.TryGetValue(streamId, out var writer))
        {
            var written = false;
            try
            {
                await writer.WhenAppendedCommittedAsync(cancellationToken).ConfigureAwait(false);
                written = true;
            }
            catch (Exception ex) when (ex is ReplayLogUnavailableException or KeyNotFoundException or InvalidOperationException)
            {
                // The writer's trouble is for its appender; the reader gets what Redis holds (or Redis's own failure).
            }

            // The writing node holds what it wrote: no round trip, unless the reader needs the snapshot or nothing new
            // was written (then Redis says whether another node ended the stream).
            if (written && writer.TryReadWritten(afterSeq, destination.Span, out var local))
            {
                return local;
            }
        }

        var result = await EvaluateAsync(RedisScripts.Read, KeysOf(streamId), [afterSeq, destination.Length], streamId)
            .WaitAsync(cancellationToken).ConfigureAwait(false);
        return result.IsNull ? ReplayReadResult.NotFound : Fill(streamId, afterSeq, (RedisResult[])result!, destination.Span);
    }

    private static ReplayReadResult Fill(string streamId, long afterSeq, RedisResult[] items, Span<SequencedEvent> destination)
    {
        var head = (long)items[0];
        var complete = (string?)items[1] == RedisScripts.Complete;
        if (afterSeq >= head)
        {
            return new ReplayReadResult(Found: true, Count: 0, StartsWithSnapshot: false, head, complete);
        }

        // Redis starts XRANGE at the first entry it has, wherever that is: every seq is compared with the one
        // expected, starting from afterSeq + 1 or, when the log no longer holds that, from the snapshot's end.
        var oldest = (long)items[2];
        var expected = afterSeq + 1;
        var written = 0;
        var startsWithSnapshot = expected < oldest;
        if (startsWithSnapshot)
        {
            var snapshot = ParseSnapshot(streamId, (byte[]?)items[3], oldest);
            destination[written++] = new SequencedEvent(snapshot.UpTo, snapshot);
            expected = oldest;
        }

        var entries = (RedisResult[])items[4]!;
        if (entries.Length == 0)
        {
            throw LostEvents(streamId, expected, head);
        }

        foreach (var entry in entries)
        {
            destination[written++] = ParseEntry(streamId, entry, expected++);
        }

        return new ReplayReadResult(Found: true, written, startsWithSnapshot, head, complete);
    }

    private static SnapshotEvent ParseSnapshot(string streamId, byte[]? json, long oldest)
    {
        if (json is not { Length: > 0 } || EventCodec.Decode(json).Event is not SnapshotEvent snapshot || snapshot.UpTo != oldest - 1)
        {
            throw new InvalidOperationException(string.Create(
                CultureInfo.InvariantCulture,
                $"The Redis log of stream '{streamId}' holds from seq {oldest} but has no snapshot through seq {oldest - 1}."));
        }

        return snapshot;
    }

    private static SequencedEvent ParseEntry(string streamId, RedisResult entry, long expectedSeq)
    {
        var parts = (RedisResult[])entry!;
        var id = (string)parts[0]!;
        var seq = long.Parse(id.AsSpan(0, id.IndexOf('-', StringComparison.Ordinal)), NumberStyles.None, CultureInfo.InvariantCulture);
        if (seq != expectedSeq)
        {
            throw LostEvents(streamId, expectedSeq, seq - 1);
        }

        var fields = (RedisResult[])parts[1]!;
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            if ((string?)fields[i] == "data")
            {
                var sequenced = EventCodec.Decode((byte[])fields[i + 1]!);
                return sequenced.Seq == seq
                    ? sequenced
                    : throw new InvalidDataException($"The Redis log of stream '{streamId}' holds an event with seq {sequenced.Seq} under seq {seq}.");
            }
        }

        throw new InvalidDataException($"The Redis log of stream '{streamId}' holds an entry without data at seq {seq}.");
    }

    private static InvalidOperationException LostEvents(string streamId, long from, long through) => new(string.Create(
        CultureInfo.InvariantCulture,
        $"The Redis log of stream '{streamId}' lost seqs {from} to {through}, which it should hold: its keys were trimmed or evicted outside Sluice (is Redis's maxmemory-policy noeviction?)."));

    private async Task WaitCoreAsync(string streamId, long afterSeq, CancellationToken cancellationToken)
    {
        await EnsureSubscribedAsync().WaitAsync(cancellationToken).ConfigureAwait(false);

        // Registered before the head is read: an append after that read publishes to a subscription that is already
        // listening, and an append before it shows in the head. Either way the wait ends.
        var waiter = new Waiter(streamId, afterSeq);
        _waiters.Add(waiter);
        try
        {
            using var registration = cancellationToken.Register(static (state, token) => ((Waiter)state!).Cancel(token), waiter);
            if (_writers.TryGetValue(streamId, out var writer))
            {
                // The writing node knows its head without a round trip: each of its later appends (and another node
                // ending the stream, or removing it) publishes to the subscription already registered above.
                if (writer.HasEventAfter(afterSeq))
                {
                    return;
                }
            }
            else
            {
                var (head, state) = await ReadHeadAsync(streamId).WaitAsync(cancellationToken).ConfigureAwait(false);
                if (waiter.IsSatisfiedBy(head, state))
                {
                    return;
                }
            }

            await waiter.Task.ConfigureAwait(false);
        }
        finally
        {
            _waiters.Remove(waiter);
        }
    }

    private async Task<(long Head, StreamState State)> ReadHeadAsync(string streamId)
    {
        var multiplexer = await MultiplexerAsync().ConfigureAwait(false);
        RedisValue[] values;
        try
        {
            values = await multiplexer.GetDatabase().HashGetAsync(KeysOf(streamId).Meta, HeadFields).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            throw Unavailable(streamId, ex);
        }

        return values[0].IsNull
            ? (-1, StreamState.Gone)
            : ((long)values[0], values[1] == RedisScripts.Complete ? StreamState.Complete : StreamState.Running);
    }

    private async Task RemoveCoreAsync(string streamId, CancellationToken cancellationToken)
    {
        if (_writers.TryRemove(streamId, out var writer))
        {
            writer.Abandon(StreamNotFound(streamId));
        }

        RedisValue[] args = [WakeChannelName, WaiterRegistry.Message(streamId, -1, StreamState.Gone)];
        await EvaluateAsync(RedisScripts.Remove, KeysOf(streamId), args, streamId).WaitAsync(cancellationToken).ConfigureAwait(false);

        // This node's readers need not wait for the message to come back.
        _waiters.Wake(streamId, -1, StreamState.Gone);
    }

    /// <summary>The connection once made (<see langword="null"/> before first use).</summary>
    internal IConnectionMultiplexer? ConnectedMultiplexer => Volatile.Read(ref _multiplexer);

    /// <summary>The connection, made on first use (shared with the run directory).</summary>
    internal ValueTask<IConnectionMultiplexer> MultiplexerAsync()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (Volatile.Read(ref _multiplexer) is { } multiplexer)
        {
            return ValueTask.FromResult(multiplexer);
        }

        lock (_lock)
        {
            if (_connecting is null || _connecting.IsFaulted || _connecting.IsCanceled)
            {
                _connecting = ConnectAsync();
            }

            return new ValueTask<IConnectionMultiplexer>(_connecting);
        }
    }

    private async Task<IConnectionMultiplexer> ConnectAsync()
    {
        ConnectionMultiplexer multiplexer;
        try
        {
            // With AbortOnConnectFail off (the default of AddSluiceRedisReplayLog) this returns while Redis is down,
            // and the connection keeps trying in the background.
            multiplexer = await ConnectionMultiplexer.ConnectAsync(_configuration!).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            throw new ReplayLogUnavailableException($"Could not connect to Redis for the replay log: {ex.Message}", ex);
        }

        Attach(multiplexer);
        Volatile.Write(ref _multiplexer, multiplexer);
        return multiplexer;
    }

    private void Attach(IConnectionMultiplexer multiplexer)
    {
        multiplexer.ConnectionFailed += OnConnectionFailed;
        multiplexer.ConnectionRestored += OnConnectionRestored;
    }

    private Task EnsureSubscribedAsync()
    {
        lock (_lock)
        {
            if (_subscribing is null || _subscribing.IsFaulted || _subscribing.IsCanceled)
            {
                _subscribing = SubscribeAsync();
            }

            _recheckLoop ??= RecheckLoopAsync(_disposing.Token);
            return _subscribing;
        }
    }

    private async Task SubscribeAsync()
    {
        var multiplexer = await MultiplexerAsync().ConfigureAwait(false);
        try
        {
            await multiplexer.GetSubscriber().SubscribeAsync(_channel, _onWake).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            throw new ReplayLogUnavailableException($"Could not subscribe to the replay log's wake-ups ({WakeChannelName}): {ex.Message}", ex);
        }
    }

    private void OnWake(RedisChannel channel, RedisValue message)
    {
        if (WaiterRegistry.TryParse(message, out var streamId, out var head, out var state))
        {
            _waiters.Wake(streamId, head, state);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        // Wake-ups published while the connection is down are lost: waiting readers must read again (and will learn
        // from that read whether Redis is back).
        var message = $"The connection to Redis failed ({e.FailureType}); the replay log cannot wake waiting readers.";
        _waiters.FailAll(e.Exception is null ? new ReplayLogUnavailableException(message) : new ReplayLogUnavailableException(message, e.Exception));
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        foreach (var writer in _writers.Values)
        {
            writer.Resume();
        }
    }

    private async Task RecheckLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.WaitRecheckInterval, _timeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await RecheckAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    /// <summary>Reads the head of every stream that has waiting readers, and wakes those it satisfies.</summary>
    private async Task RecheckAsync()
    {
        var streams = _waiters.WaitingStreams();
        if (streams.Length == 0 || Volatile.Read(ref _multiplexer) is not { } multiplexer)
        {
            return;
        }

        // Issued together, so the multiplexer pipelines them: one round trip for all.
        var database = multiplexer.GetDatabase();
        var reads = new Task<RedisValue[]>[streams.Length];
        for (var i = 0; i < streams.Length; i++)
        {
            reads[i] = database.HashGetAsync(KeysOf(streams[i]).Meta, HeadFields);
        }

        for (var i = 0; i < streams.Length; i++)
        {
            try
            {
                var values = await reads[i].ConfigureAwait(false);
                if (values[0].IsNull)
                {
                    _waiters.Wake(streams[i], -1, StreamState.Gone);
                }
                else
                {
                    _waiters.Wake(streams[i], (long)values[0], values[1] == RedisScripts.Complete ? StreamState.Complete : StreamState.Running);
                }
            }
            catch (Exception ex) when (IsStoreFailure(ex))
            {
                // Redis is unreachable: the connection events fail the waiters; the next tick tries again.
            }
        }
    }
}
