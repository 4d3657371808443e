using Sluice.ReplayLog;
using Sluice.ReplayLog.Redis;

namespace Sluice.Gateway;

/// <summary>Chooses the replay log named by <c>Sluice:ReplayLog</c>: <c>memory</c> (one node, the default) or <c>redis</c> (several).</summary>
/// <remarks>
/// A log that cannot be configured (an unknown name, <c>redis</c> without <c>ConnectionStrings:Redis</c>, a malformed
/// connection string) fails at start-up with a message naming the setting. Redis being down does not: the gateway
/// starts, answers new streams with 503 and <c>/healthz</c> unhealthy, and reconnects by itself.
/// </remarks>
internal static class ReplayLogRegistration
{
    private const string Memory = "memory";
    private const string Redis = "redis";

    public static IServiceCollection AddSluiceReplayLog(this IServiceCollection services, IConfiguration configuration)
    {
        var sluice = configuration.GetSection("Sluice");
        var logOptions = sluice.GetSection("Log").Get<ReplayLogOptions>() ?? new ReplayLogOptions();
        var kind = sluice["ReplayLog"] ?? Memory;
        switch (kind.ToLowerInvariant())
        {
            case Memory:
                return services.AddSluiceInMemoryReplayLog(logOptions);
            case Redis:
                var connectionString = configuration.GetConnectionString("Redis");
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        "Sluice:ReplayLog is 'redis' but ConnectionStrings:Redis is not set (e.g. ConnectionStrings__Redis=127.0.0.1:6379).");
                }

                var redisOptions = (sluice.GetSection("Redis").Get<RedisReplayLogOptions>() ?? new RedisReplayLogOptions()) with { Log = logOptions };
                return services
                    .AddSluiceRedisReplayLog(connectionString, redisOptions)
                    .AddSluiceRedisRunDirectory(sluice.GetSection("Cluster").Get<RedisRunDirectoryOptions>())
                    .AddHostedService<ReplayLogStartupProbe>();
            default:
                throw new InvalidOperationException($"Unknown Sluice:ReplayLog '{kind}'. Supported: '{Memory}' (default, one node), '{Redis}' (several nodes).");
        }
    }
}
