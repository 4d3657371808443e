namespace Sluice.ReplayLog.Redis;

/// <summary>The Lua scripts of the run directory (<see cref="RedisRunDirectory"/>), each atomic and one round trip.</summary>
/// <remarks>
/// Keys: <c>KEYS[1]</c> the stream's meta hash, <c>KEYS[2]</c> its events stream, <c>KEYS[3]</c> its lease
/// (<c>{prefix}{{id}}:lease</c>, a string holding the owner node's id, expiring unless renewed). All three share the
/// id's hash tag, so the scripts touch one slot of a Redis Cluster (only a single Redis is tested).
/// </remarks>
internal static class RunDirectoryScripts
{
    /// <summary>
    /// Records the owner of a stream that exists and takes its lease. ARGV: 1 node id, 2 principal ('' for none),
    /// 3 token hash ('' for none), 4 lease (ms). Returns 1, or 0 when the stream does not exist.
    /// </summary>
    public const string Register = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        redis.call('HSET', KEYS[1], 'node', ARGV[1], 'principal', ARGV[2], 'tokenHash', ARGV[3])
        redis.call('SET', KEYS[3], ARGV[1], 'PX', ARGV[4])
        return 1
        """;

    /// <summary>
    /// Whether a stream's producer is lost: returns {head, 1} when the stream is running and its lease has lapsed,
    /// {head, 0} otherwise, {-1, 0} when the stream is gone.
    /// </summary>
    public const string Probe = """
        local m = redis.call('HMGET', KEYS[1], 'head', 'status', 'node')
        if not m[1] then return {-1, 0} end
        if m[2] == 'running' and m[3] and redis.call('EXISTS', KEYS[3]) == 0 then return {tonumber(m[1]), 1} end
        return {tonumber(m[1]), 0}
        """;

    /// <summary>
    /// Ends a running stream whose lease has lapsed with the given terminal event, once: checks again (atomically) that
    /// it is running, has no lease and still has the head the event follows, then appends the event (entry id
    /// <c>{seq}-1</c>, as the log's appends), marks the stream complete, refreshes the TTL and publishes the log's
    /// wake-up. ARGV: 1 expected head, 2 event JSON (seq = head + 1), 3 ttl (ms), 4 wake channel, 5 wake message.
    /// Returns 1 when this call ended the stream, 0 when something changed (another node ended it, or the owner is back).
    /// </summary>
    public const string ClaimLost = """
        local m = redis.call('HMGET', KEYS[1], 'head', 'status')
        if not m[1] or m[2] ~= 'running' or m[1] ~= ARGV[1] then return 0 end
        if redis.call('EXISTS', KEYS[3]) == 1 then return 0 end
        local seq = tonumber(ARGV[1]) + 1
        redis.call('XADD', KEYS[2], seq .. '-1', 'seq', seq, 'data', ARGV[2])
        redis.call('HSET', KEYS[1], 'head', seq, 'status', 'complete')
        redis.call('PEXPIRE', KEYS[1], ARGV[3])
        redis.call('PEXPIRE', KEYS[2], ARGV[3])
        redis.call('PUBLISH', ARGV[4], ARGV[5])
        return 1
        """;
}
