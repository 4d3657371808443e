using StackExchange.Redis;

namespace Sluice.ReplayLog.Redis;

/// <summary>The Redis keys of one stream: <c>{prefix}{{id}}:meta</c> (a hash) and <c>{prefix}{{id}}:events</c> (a stream).</summary>
/// <remarks>
/// The id in braces is a hash tag: in a Redis Cluster both keys of a stream live in the same slot, so one script can
/// touch both atomically.
/// </remarks>
internal readonly record struct StreamKeys(RedisKey Meta, RedisKey Events)
{
    public static StreamKeys For(string prefix, string streamId) =>
        new($"{prefix}{{{streamId}}}:meta", $"{prefix}{{{streamId}}}:events");

    /// <summary>Both keys, in the order the scripts expect them (<c>KEYS[1]</c> meta, <c>KEYS[2]</c> events).</summary>
    public RedisKey[] Both => [Meta, Events];
}
