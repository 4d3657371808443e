namespace Sluice.ReplayLog.Redis;

/// <summary>
/// The Lua scripts of the Redis log. Each runs atomically on the server, so the meta hash and the events stream of a
/// stream always agree, and each is one command (one round trip) whatever it does.
/// </summary>
/// <remarks>
/// <para>Keys: <c>KEYS[1]</c> is the stream's meta hash, <c>KEYS[2]</c> its events stream (see <see cref="StreamKeys"/>).</para>
/// <para>
/// Meta fields: <c>status</c> (<c>running</c> or <c>complete</c>), <c>head</c> (the last seq appended, -1 when
/// none), <c>oldest</c> (the first seq the log still holds; earlier ones are folded into the snapshot), <c>bytes</c>
/// (the estimated size of the held events), <c>snap</c> (the compacted state as a <c>snapshot</c> event's JSON) and
/// <c>snapUpTo</c> (its seq, always <c>oldest - 1</c>). The run directory adds <c>node</c>, <c>principal</c> and
/// <c>tokenHash</c> (see <see cref="RunDirectoryScripts"/>).
/// </para>
/// <para>
/// An entry of the events stream has the id <c>{seq}-1</c> (so a seq is its own range bound: <c>XRANGE key 5 +</c>
/// starts at seq 5, <c>XTRIM key MINID 5</c> drops what is before it) and the fields <c>seq</c> and <c>data</c>
/// (the event's JSON, as sent on the wire).
/// </para>
/// </remarks>
internal static class RedisScripts
{
    /// <summary>The status of a stream that may still grow.</summary>
    public const string Running = "running";

    /// <summary>The status of a stream that has its terminal event.</summary>
    public const string Complete = "complete";

    /// <summary>ARGV: ttl (ms). Returns 1 when created, 0 when the stream exists.</summary>
    public const string Create = """
        if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('DEL', KEYS[2])
        redis.call('HSET', KEYS[1], 'status', 'running', 'head', '-1', 'oldest', '0', 'bytes', '0')
        redis.call('PEXPIRE', KEYS[1], ARGV[1])
        return 1
        """;

    /// <summary>
    /// Appends a batch of events and updates the meta hash, trims, refreshes the TTL and publishes a wake-up.
    /// ARGV: 1 first seq, 2 MAXLEN, 3 status, 4 oldest, 5 bytes, 6 ttl (ms), 7 wake channel, 8 wake message,
    /// 9 snapshot seq ('' when unchanged), 10 snapshot JSON, 11… the events' JSON, one per seq from the first.
    /// Returns {1, head} when written, {0, -1} when the stream does not exist, {-1, head} when the batch does not follow
    /// the head or the stream already ended (another node ended it: its owner was declared lost, see
    /// <see cref="RunDirectoryScripts.ClaimLost"/>). Events at or before the head are skipped, so a batch re-sent after a
    /// timeout adds nothing twice.
    /// </summary>
    public const string Append = """
        local head = redis.call('HGET', KEYS[1], 'head')
        if not head then return {0, -1} end
        head = tonumber(head)
        local first = tonumber(ARGV[1])
        if first > head + 1 then return {-1, head} end
        local count = #ARGV - 10
        local last = first + count - 1
        if last > head and redis.call('HGET', KEYS[1], 'status') == 'complete' then return {-1, head} end
        if last > head then
          for i = 0, count - 1 do
            local seq = first + i
            if seq > head then
              redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[2], seq .. '-1', 'seq', seq, 'data', ARGV[11 + i])
            end
          end
          redis.call('HSET', KEYS[1], 'head', last, 'status', ARGV[3], 'oldest', ARGV[4], 'bytes', ARGV[5])
          if ARGV[9] ~= '' then
            redis.call('HSET', KEYS[1], 'snapUpTo', ARGV[9], 'snap', ARGV[10])
          end
          if tonumber(ARGV[4]) > 0 then
            redis.call('XTRIM', KEYS[2], 'MINID', '~', ARGV[4])
          end
          head = last
        end
        redis.call('PEXPIRE', KEYS[1], ARGV[6])
        redis.call('PEXPIRE', KEYS[2], ARGV[6])
        redis.call('PUBLISH', ARGV[7], ARGV[8])
        return {1, head}
        """;

    /// <summary>
    /// Reads after a seq. ARGV: 1 after seq, 2 how many elements fit. Returns nil for an unknown stream; else
    /// {head, status, oldest} when nothing follows the seq, or {head, status, oldest, snapshot, entries}: the snapshot
    /// ('' when the next seq is still held) and up to that many entries from the next seq still held (one fewer with a
    /// snapshot). The caller checks that the first entry is the seq it asked for.
    /// </summary>
    public const string Read = """
        local m = redis.call('HMGET', KEYS[1], 'head', 'status', 'oldest')
        if not m[1] then return false end
        local head = tonumber(m[1])
        local after = tonumber(ARGV[1])
        if after >= head then return {m[1], m[2], m[3]} end
        local from = after + 1
        local count = tonumber(ARGV[2])
        local snap = ''
        if from < tonumber(m[3]) then
          snap = redis.call('HGET', KEYS[1], 'snap')
          from = m[3]
          count = count - 1
        end
        return {m[1], m[2], m[3], snap, redis.call('XRANGE', KEYS[2], from, '+', 'COUNT', count)}
        """;

    /// <summary>
    /// Everything a writer needs to take a stream over: nil for an unknown stream, else {head, status, oldest,
    /// snapshot ('' when none), every held entry}.
    /// </summary>
    public const string Load = """
        local m = redis.call('HMGET', KEYS[1], 'head', 'status', 'oldest', 'snap')
        if not m[1] then return false end
        return {m[1], m[2], m[3], m[4] or '', redis.call('XRANGE', KEYS[2], m[3], '+')}
        """;

    /// <summary>Deletes both keys and, when there were any, publishes the wake-up. ARGV: channel, message. Returns the keys deleted.</summary>
    public const string Remove = """
        local n = redis.call('DEL', KEYS[1], KEYS[2])
        if n > 0 then redis.call('PUBLISH', ARGV[1], ARGV[2]) end
        return n
        """;
}
