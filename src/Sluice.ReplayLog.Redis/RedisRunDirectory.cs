using System.Collections.Concurrent;
using System.Globalization;
using Sluice.Protocol;
using StackExchange.Redis;

namespace Sluice.ReplayLog.Redis;

/// <summary>
/// The <see cref="IRunDirectory"/> of nodes that share a <see cref="RedisReplayLog"/>: the owner of a run is recorded in
/// its meta hash, each owner holds a lease key per running run, and notices go to the owner over a pub/sub channel of
/// its own (<c>{prefix}node:{nodeId}</c>), on the log's connection.
/// </summary>
/// <remarks>
/// <para>
/// Every third of <see cref="RedisRunDirectoryOptions.LeaseTime"/> one loop renews the leases of this node's running
/// runs (issued together: one round trip for all) and probes the runs of other nodes that have readers here. A run
/// that is still running without a lease lost its producer: this node appends the terminal <c>error</c>
/// (<c>producer_lost</c>, retryable) in one script that checks again that the run is running, leaseless and at the
/// head it saw, so of all the nodes that notice, exactly one appends it, at the next seq, and every reader (here,
/// elsewhere, and later resumers) reads the same end. An owner that was only paused finds its stream ended: its next
/// append fails (the log refuses appends after the terminal event) and its run ends there.
/// </para>
/// <para>
/// Notices are processed in order (one message queue), so a reader's attach and detach reach the owner as they
/// happened. A notice published while the owner is disconnected is lost; see <see cref="IRunDirectory"/>.
/// </para>
/// </remarks>
internal sealed class RedisRunDirectory : IRunDirectory, IAsyncDisposable
{
    /// <summary>The error code readers get when the run's owner stopped renewing its lease.</summary>
    public const string ProducerLostCode = "producer_lost";

    private readonly RedisReplayLog _log;
    private readonly TimeSpan _leaseTime;
    private readonly long _leaseMilliseconds;
    private readonly RedisChannel _ownChannel;
    private readonly ConcurrentDictionary<string, Action<RunNotice>> _owned = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _watched = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _disposing = new();
    private readonly Lock _lock = new();
    private Task<ChannelMessageQueue>? _subscribing;
    private Task? _loop;

    public RedisRunDirectory(RedisReplayLog log, RedisRunDirectoryOptions options)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(options);
        _log = log;
        _leaseTime = options.LeaseTime;
        _leaseMilliseconds = (long)options.LeaseTime.TotalMilliseconds;
        NodeId = options.NodeId ?? string.Create(
            CultureInfo.InvariantCulture, $"{Environment.MachineName}-{Environment.ProcessId}-{Random.Shared.Next(0x10000):x4}");
        _ownChannel = ChannelOf(NodeId);
    }

    public string NodeId { get; }

    /// <summary>How many runs of other nodes this node probes (they have readers here).</summary>
    internal int WatchedCount => _watched.Count;

    public async ValueTask RegisterAsync(string streamId, RunOwnerRecord owner, Action<RunNotice> onNotice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(onNotice);

        // Listening before anyone can learn of the run: a DELETE on another node right after the start must land.
        await EnsureListeningAsync().WaitAsync(cancellationToken).ConfigureAwait(false);
        _owned[streamId] = onNotice;
        try
        {
            RedisValue[] args = [NodeId, owner.Principal ?? string.Empty, owner.TokenHash ?? string.Empty, _leaseMilliseconds];
            var registered = (long)await EvaluateAsync(RunDirectoryScripts.Register, streamId, args).WaitAsync(cancellationToken).ConfigureAwait(false);
            if (registered == 0)
            {
                throw RedisReplayLog.StreamNotFound(streamId);
            }
        }
        catch
        {
            _owned.TryRemove(streamId, out _);
            throw;
        }
    }

    public void Release(string streamId) => _owned.TryRemove(streamId, out _);

    public async ValueTask<RunRecord?> FindAsync(string streamId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(streamId);
        var multiplexer = await _log.MultiplexerAsync().ConfigureAwait(false);
        RedisValue[] values;
        try
        {
            values = await multiplexer.GetDatabase()
                .HashGetAsync(_log.KeysOf(streamId).Meta, ["node", "principal", "tokenHash", "head", "status"])
                .WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisReplayLog.IsStoreFailure(ex))
        {
            throw new ReplayLogUnavailableException($"Redis could not look up stream '{streamId}': {ex.Message}", ex);
        }

        if (values[0].IsNullOrEmpty || values[3].IsNull)
        {
            return null; // Unknown, expired, or not (yet) registered by an owner.
        }

        var owner = new RunOwnerRecord(NullIfEmpty(values[1]), NullIfEmpty(values[2]));
        return new RunRecord(streamId, values[0]!, owner, (long)values[3], values[4] == RedisScripts.Complete);
    }

    public void Notify(RunRecord run, RunNotice notice)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.OwnerNode != NodeId)
        {
            if (notice == RunNotice.Attach)
            {
                _watched.AddOrUpdate(run.StreamId, 1, static (_, count) => count + 1);
                EnsureLoop();
            }
            else if (notice == RunNotice.Detach)
            {
                Unwatch(run.StreamId);
            }
        }

        var message = string.Create(CultureInfo.InvariantCulture, $"{(int)notice} {run.StreamId}");
        try
        {
            // Fire and forget: returns at once, never blocks on the network; a loss is covered by the lease.
            _log.ConnectedMultiplexer?.GetSubscriber().Publish(ChannelOf(run.OwnerNode), message, CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (RedisReplayLog.IsStoreFailure(ex))
        {
            // Disconnected: the notice is lost, as documented.
        }
    }

    public async ValueTask DisposeAsync()
    {
        Task<ChannelMessageQueue>? subscribing;
        Task? loop;
        lock (_lock)
        {
            subscribing = _subscribing;
            loop = _loop;
        }

        await _disposing.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        if (subscribing is { IsCompletedSuccessfully: true })
        {
            try
            {
                await (await subscribing.ConfigureAwait(false)).UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (RedisReplayLog.IsStoreFailure(ex) || ex is ObjectDisposedException)
            {
                // The connection may be down or gone; the subscription goes with it.
            }
        }

        _disposing.Dispose();
    }

    /// <summary>One probe and claim pass over the watched runs, and one renewal of the owned leases (the loop's tick).</summary>
    internal async Task TickAsync()
    {
        if (_log.ConnectedMultiplexer is not { } multiplexer)
        {
            return;
        }

        var database = multiplexer.GetDatabase();

        // Issued together, so the multiplexer pipelines them: one round trip for all renewals and probes.
        var owned = _owned.Keys.ToArray();
        var renewals = new Task[owned.Length];
        for (var i = 0; i < owned.Length; i++)
        {
            renewals[i] = database.StringSetAsync(LeaseKey(owned[i]), NodeId, _leaseTime);
        }

        var watched = _watched.Keys.ToArray();
        var probes = new Task<RedisResult>[watched.Length];
        for (var i = 0; i < watched.Length; i++)
        {
            probes[i] = database.ScriptEvaluateAsync(RunDirectoryScripts.Probe, KeysOf(watched[i]));
        }

        await IgnoringStoreFailuresAsync(Task.WhenAll(renewals)).ConfigureAwait(false);
        for (var i = 0; i < watched.Length; i++)
        {
            RedisResult[] probe;
            try
            {
                probe = (RedisResult[])(await probes[i].ConfigureAwait(false))!;
            }
            catch (Exception ex) when (RedisReplayLog.IsStoreFailure(ex))
            {
                continue; // Redis is unreachable: nothing can be decided now; the next tick tries again.
            }

            if ((long)probe[1] == 1)
            {
                await IgnoringStoreFailuresAsync(ClaimLostAsync(database, watched[i], (long)probe[0])).ConfigureAwait(false);
            }
        }
    }

    private RedisChannel ChannelOf(string nodeId) => RedisChannel.Literal(_log.Options.KeyPrefix + "node:" + nodeId);

    private static string? NullIfEmpty(RedisValue value) => value.IsNullOrEmpty ? null : (string?)value;

    private static async Task IgnoringStoreFailuresAsync(Task task)
    {
        try
        {
#pragma warning disable VSTHRD003 // Work this directory started (Redis commands); no synchronization context in play.
            await task.ConfigureAwait(false);
#pragma warning restore VSTHRD003
        }
        catch (Exception ex) when (RedisReplayLog.IsStoreFailure(ex))
        {
            // Redis is unreachable: a lease not renewed now is renewed on the next tick (well within the lease).
        }
    }

    private async Task ClaimLostAsync(IDatabase database, string streamId, long head)
    {
        var lost = new ErrorEvent(ProducerLostCode, "The node running this stream stopped; start a new request.", Retryable: true);
        RedisValue[] args =
        [
            head,
            new EventCodec().Encode(new SequencedEvent(head + 1, lost)), // rare: a codec of its own, no sharing between ticks
            _log.TimeToLiveMilliseconds,
            _log.WakeChannelName,
            WaiterRegistry.Message(streamId, head + 1, StreamState.Complete),
        ];
        await database.ScriptEvaluateAsync(RunDirectoryScripts.ClaimLost, KeysOf(streamId), args).ConfigureAwait(false);
    }

    private RedisKey[] KeysOf(string streamId)
    {
        var keys = _log.KeysOf(streamId);
        return [keys.Meta, keys.Events, LeaseKey(streamId)];
    }

    private RedisKey LeaseKey(string streamId) => $"{_log.Options.KeyPrefix}{{{streamId}}}:lease";

    private void Unwatch(string streamId)
    {
        while (_watched.TryGetValue(streamId, out var count))
        {
            if (count <= 1 ? _watched.TryRemove(new KeyValuePair<string, int>(streamId, count)) : _watched.TryUpdate(streamId, count - 1, count))
            {
                return;
            }
        }
    }

    private async Task<RedisResult> EvaluateAsync(string script, string streamId, RedisValue[] args)
    {
        var multiplexer = await _log.MultiplexerAsync().ConfigureAwait(false);
        try
        {
            return await multiplexer.GetDatabase().ScriptEvaluateAsync(script, KeysOf(streamId), args).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisReplayLog.IsStoreFailure(ex))
        {
            throw new ReplayLogUnavailableException($"Redis could not register stream '{streamId}': {ex.Message}", ex);
        }
    }

    private Task<ChannelMessageQueue> EnsureListeningAsync()
    {
        lock (_lock)
        {
            if (_subscribing is null || _subscribing.IsFaulted || _subscribing.IsCanceled)
            {
                _subscribing = SubscribeAsync();
            }

            EnsureLoopLocked();
            return _subscribing;
        }
    }

    private async Task<ChannelMessageQueue> SubscribeAsync()
    {
        var multiplexer = await _log.MultiplexerAsync().ConfigureAwait(false);
        ChannelMessageQueue queue;
        try
        {
            queue = await multiplexer.GetSubscriber().SubscribeAsync(_ownChannel).ConfigureAwait(false);
        }
        catch (Exception ex) when (RedisReplayLog.IsStoreFailure(ex))
        {
            throw new ReplayLogUnavailableException($"Could not subscribe to this node's run notices ({_ownChannel}): {ex.Message}", ex);
        }

        // A queue, not a handler: its messages are processed one at a time, in order.
        queue.OnMessage(OnNotice);
        return queue;
    }

    private void OnNotice(ChannelMessage message)
    {
        var text = (string?)message.Message;
        var space = text?.IndexOf(' ', StringComparison.Ordinal) ?? -1;
        if (space > 0
            && int.TryParse(text.AsSpan(0, space), NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            && Enum.IsDefined((RunNotice)value)
            && _owned.TryGetValue(text![(space + 1)..], out var onNotice))
        {
            onNotice((RunNotice)value);
        }
    }

    private void EnsureLoop()
    {
        lock (_lock)
        {
            EnsureLoopLocked();
        }
    }

    private void EnsureLoopLocked() => _loop ??= LoopAsync(_disposing.Token);

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_leaseTime / 3, _log.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await TickAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed.
        }
    }
}
