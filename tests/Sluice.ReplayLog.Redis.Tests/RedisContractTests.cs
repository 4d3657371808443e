using System.Diagnostics.Metrics;
using Sluice.ReplayLog.Tests;

namespace Sluice.ReplayLog.Redis.Tests;

/// <summary>Logs over the shared Redis: each with a key prefix (and so a wake-up channel) of its own.</summary>
internal static class RedisLogs
{
    public static RedisReplayLog Create(RedisFixture redis, ReplayLogOptions options, IMeterFactory? meterFactory = null, string? prefix = null)
    {
        redis.SkipIfUnavailable();
        return new RedisReplayLog(redis.Multiplexer, new RedisReplayLogOptions { Log = options, KeyPrefix = prefix ?? RedisFixture.NewPrefix() }, meterFactory);
    }

    /// <summary>The same log as another node sees it: the same prefix over the other connection.</summary>
    public static RedisReplayLog OtherNode(RedisFixture redis, IReplayLog log)
    {
        var options = ((RedisReplayLog)log).Options;
        return new RedisReplayLog(redis.OtherNode, options);
    }
}

public sealed class RedisReplayLogContractTests(RedisFixture redis) : ReplayLogContractTests
{
    protected override Task<IReplayLog> CreateLogCoreAsync(ReplayLogOptions options, IMeterFactory? meterFactory) =>
        Task.FromResult<IReplayLog>(RedisLogs.Create(redis, options, meterFactory));
}

public sealed class RedisReplayLogEvictionContractTests(RedisFixture redis) : ReplayLogEvictionContractTests
{
    protected override Task<IReplayLog> CreateLogCoreAsync(ReplayLogOptions options, IMeterFactory? meterFactory) =>
        Task.FromResult<IReplayLog>(RedisLogs.Create(redis, options, meterFactory));
}

/// <summary>Readers on the writer's node (they see its appends once written).</summary>
public sealed class RedisReplayLogConcurrencyContractTests(RedisFixture redis) : ReplayLogConcurrencyContractTests
{
    protected override Task<IReplayLog> CreateLogCoreAsync(ReplayLogOptions options, IMeterFactory? meterFactory) =>
        Task.FromResult<IReplayLog>(RedisLogs.Create(redis, options, meterFactory));
}

/// <summary>Readers on another node than the writer: everything they get comes through Redis, woken by pub/sub.</summary>
public sealed class RedisReplayLogCrossNodeConcurrencyContractTests(RedisFixture redis) : ReplayLogConcurrencyContractTests
{
    protected override Task<IReplayLog> CreateLogCoreAsync(ReplayLogOptions options, IMeterFactory? meterFactory) =>
        Task.FromResult<IReplayLog>(RedisLogs.Create(redis, options, meterFactory));

    protected override Task<IReplayLog> OtherNodeAsync(IReplayLog log)
    {
        var other = RedisLogs.OtherNode(redis, log);
        Track(other);
        return Task.FromResult<IReplayLog>(other);
    }
}
