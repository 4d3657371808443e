using Microsoft.Extensions.DependencyInjection.Extensions;
using Sluice.ReplayLog;
using Sluice.ReplayLog.Redis;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Redis run directory: several gateway nodes sharing runs.</summary>
public static class RedisRunDirectoryServiceCollectionExtensions
{
    /// <summary>
    /// Registers an <see cref="IRunDirectory"/> in Redis, in place of any registered before, on the connection of the
    /// Redis replay log (register that with <c>AddSluiceRedisReplayLog</c>). With it, a node resumes, cancels and
    /// reads the result of runs that other nodes own, forwards cancels and readers to their owner, and ends the runs
    /// of a node that died with <c>error</c> <c>producer_lost</c>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">Node id and lease; <see cref="RedisRunDirectoryOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <remarks>Resolving the directory fails with <see cref="InvalidOperationException"/> when the registered log is not the Redis log.</remarks>
    public static IServiceCollection AddSluiceRedisRunDirectory(this IServiceCollection services, RedisRunDirectoryOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var resolved = options ?? RedisRunDirectoryOptions.Default;
        services.RemoveAll<IRunDirectory>();
        services.AddSingleton<IRunDirectory>(provider => new RedisRunDirectory(
            provider.GetRequiredService<IReplayLog>() as RedisReplayLog
                ?? throw new InvalidOperationException("The Redis run directory needs the Redis replay log: call AddSluiceRedisReplayLog() as well."),
            resolved));
        return services;
    }
}
