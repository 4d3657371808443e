using Sluice.ReplayLog;

namespace Sluice.Gateway;

/// <summary>
/// Connects to the shared replay log (Redis) once the gateway starts and says in the log whether it could: a gateway
/// started while Redis is down keeps running (503 for new streams) and reconnects by itself, which an operator should
/// see at once rather than on the first request.
/// </summary>
internal sealed partial class ReplayLogStartupProbe(IReplayLog log, IRunDirectory directory, ILogger<ReplayLogStartupProbe> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var probe = new ReplayLogHealthCheck(log);
        var result = await probe.CheckHealthAsync(new(), stoppingToken);
        if (result.Status == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy)
        {
            Log.Reachable(logger, directory.NodeId);
        }
        else
        {
            Log.Unreachable(logger, directory.NodeId, result.Description);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Replay log: Redis is reachable; this node is '{NodeId}'.")]
        public static partial void Reachable(ILogger logger, string nodeId);

        [LoggerMessage(2, LogLevel.Warning, "Replay log: Redis is NOT reachable ({Reason}); this node ('{NodeId}') answers new streams with 503 and /healthz unhealthy until it is back, and reconnects by itself.")]
        public static partial void Unreachable(ILogger logger, string nodeId, string? reason);
    }
}
