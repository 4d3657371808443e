namespace Sluice.ReplayLog.Redis;

/// <summary>Settings of the Redis replay log (<c>AddSluiceRedisReplayLog</c>).</summary>
public sealed record RedisReplayLogOptions
{
    /// <summary>The defaults.</summary>
    public static RedisReplayLogOptions Default { get; } = new();

    /// <summary>The per-stream bounds, as for the in-memory log. Default <see cref="ReplayLogOptions.Default"/>.</summary>
    /// <exception cref="ArgumentNullException">Null.</exception>
    public ReplayLogOptions Log
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Log));
    } = new(); // Not the shared ReplayLogOptions.Default: the configuration binder sets properties on the instance it finds.

    /// <summary>
    /// What every key (and the wake-up channel) starts with. Default <c>sluice:</c>, so a stream's keys are
    /// <c>sluice:{id}:meta</c> and <c>sluice:{id}:events</c> and the channel is <c>sluice:wake</c>. Nodes that share
    /// streams must use the same prefix.
    /// </summary>
    /// <exception cref="ArgumentNullException">Null.</exception>
    /// <exception cref="ArgumentException">Contains <c>{</c> or <c>}</c> (the braces around the id are the keys' hash tag).</exception>
    public string KeyPrefix
    {
        get;
        init
        {
            ArgumentNullException.ThrowIfNull(value, nameof(KeyPrefix));
            field = value.AsSpan().IndexOfAny('{', '}') < 0
                ? value
                : throw new ArgumentException("The key prefix may not contain '{' or '}'.", nameof(KeyPrefix));
        }
    } = "sluice:";

    /// <summary>
    /// How long a stream's keys live after their creation or last append; every append sets it again. Default 10
    /// minutes. The gateway removes a finished stream itself when its retention ends (<c>Sluice:Runs:Retention</c>,
    /// 5 minutes by default); this is the safety net for a node that died, so keep it above the retention plus the
    /// longest quiet time of a running stream (<c>Sluice:Upstream:StallTimeout</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than one second.</exception>
    public TimeSpan KeyTimeToLive
    {
        get;
        init => field = value >= TimeSpan.FromSeconds(1) ? value : throw new ArgumentOutOfRangeException(nameof(KeyTimeToLive), value, "Must be at least one second.");
    } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long to wait for a connection to Redis, unless the connection string sets <c>connectTimeout</c>. Default 5
    /// seconds. The connection is retried in the background; operations meanwhile fail with
    /// <see cref="ReplayLogUnavailableException"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan ConnectTimeout
    {
        get;
        init => field = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(ConnectTimeout), value, "Must be positive.");
    } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long one Redis command may take before it fails with <see cref="ReplayLogUnavailableException"/>, unless
    /// the connection string sets <c>syncTimeout</c>/<c>asyncTimeout</c>. Default 5 seconds.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan OperationTimeout
    {
        get;
        init => field = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(OperationTimeout), value, "Must be positive.");
    } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many appended events of one stream may wait to be written before an append waits for the write in flight.
    /// Default 1024. Appends return once queued; the queue is written in batches, one script call each.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int MaxQueuedEvents
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxQueuedEvents), value, "Must be at least 1.");
    } = 1024;

    /// <summary>
    /// How often waiting readers' streams are checked in Redis besides the pub/sub wake-ups: the safety net for a
    /// wake-up lost while a connection was restored, and for keys that expired. Default 5 seconds.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan WaitRecheckInterval
    {
        get;
        init => field = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(WaitRecheckInterval), value, "Must be positive.");
    } = TimeSpan.FromSeconds(5);
}
