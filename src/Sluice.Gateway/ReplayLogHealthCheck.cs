using Microsoft.Extensions.Diagnostics.HealthChecks;
using Sluice.Protocol;
using Sluice.ReplayLog;

namespace Sluice.Gateway;

/// <summary>
/// <c>/healthz</c>: unhealthy while the replay log's store (Redis) cannot be reached, so a load balancer sends new
/// streams elsewhere. Reads a stream that does not exist: one round trip, nothing written.
/// </summary>
internal sealed class ReplayLogHealthCheck(IReplayLog log) : IHealthCheck
{
    private const string ProbeStreamId = "healthz-probe";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await log.ReadAsync(ProbeStreamId, -1, new SequencedEvent[2], cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (ReplayLogUnavailableException ex)
        {
            return HealthCheckResult.Unhealthy("The replay log is unavailable: " + ex.Message);
        }
    }
}
