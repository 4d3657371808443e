namespace Sluice.ReplayLog.Redis;

/// <summary>Settings of the Redis run directory (<c>AddSluiceRedisRunDirectory</c>); bound from <c>Sluice:Cluster</c> by the gateway.</summary>
public sealed record RedisRunDirectoryOptions
{
    /// <summary>The defaults.</summary>
    public static RedisRunDirectoryOptions Default { get; } = new();

    /// <summary>
    /// This node's id, unique among the nodes sharing the Redis: other nodes address its runs by it. Default
    /// <see langword="null"/>: the machine name, the process id and a random suffix (unique per process start).
    /// </summary>
    /// <exception cref="ArgumentException">Empty, or containing a space.</exception>
    public string? NodeId
    {
        get;
        init => field = value is null || (value.Length > 0 && !value.Contains(' ', StringComparison.Ordinal))
            ? value
            : throw new ArgumentException("A node id must be non-empty and contain no space.", nameof(NodeId));
    }

    /// <summary>
    /// How long a run's owner may go without renewing its lease before the run counts as lost: readers on other nodes
    /// then get <c>error</c> <c>producer_lost</c>. The owner renews every third of it; another node checks the runs
    /// its readers wait on as often. Default 10 s. Longer tolerates longer pauses (and Redis outages) of an owner;
    /// shorter ends readers of a dead node sooner.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 300 ms.</exception>
    public TimeSpan LeaseTime
    {
        get;
        init => field = value >= TimeSpan.FromMilliseconds(300) ? value : throw new ArgumentOutOfRangeException(nameof(LeaseTime), value, "Must be at least 300 ms.");
    } = TimeSpan.FromSeconds(10);
}
