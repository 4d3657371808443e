using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sluice.ReplayLog;
using Sluice.ReplayLog.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis replay log.</summary>
public static class RedisReplayLogServiceCollectionExtensions
{
    /// <summary>
    /// Registers an <see cref="IReplayLog"/> in Redis as the singleton log, in place of any log registered before (so
    /// it wins over the in-memory default whichever is called first). Every gateway node that points at the same
    /// Redis with the same <see cref="RedisReplayLogOptions.KeyPrefix"/> shares the streams.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="connectionString">
    /// A StackExchange.Redis configuration string, e.g. <c>localhost:6379</c> or
    /// <c>redis.internal:6380,password=…,ssl=true</c>. Unless it says otherwise, <c>abortConnect=false</c> (the log
    /// starts while Redis is down and reconnects by itself) and the timeouts of <paramref name="options"/> apply.
    /// </param>
    /// <param name="options">Bounds, key prefix, TTL and timeouts; <see cref="RedisReplayLogOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <remarks>
    /// <para>
    /// The connection is made when the log is first used, and closed when the container is disposed. While Redis
    /// cannot be reached, the log's operations fail with <see cref="ReplayLogUnavailableException"/> instead of
    /// hanging. Give Redis <c>maxmemory-policy noeviction</c>: a log whose keys Redis evicts loses events.
    /// </para>
    /// <para>It reports <c>sluice.log.evictions</c> when the container has an <see cref="IMeterFactory"/>.</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="connectionString"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or not a valid configuration string.</exception>
    public static IServiceCollection AddSluiceRedisReplayLog(this IServiceCollection services, string connectionString, RedisReplayLogOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var resolved = options ?? RedisReplayLogOptions.Default;

        // Parsed now, so a malformed string fails at start-up rather than on the first stream.
        var configuration = RedisConnection.Configure(connectionString, resolved);
        services.RemoveAll<IReplayLog>();
        services.AddSingleton<IReplayLog>(provider => new RedisReplayLog(configuration, resolved, provider.GetService<IMeterFactory>()));
        return services;
    }
}
