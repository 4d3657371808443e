using Microsoft.AspNetCore.Http;

namespace Sluice.AspNetCore;

/// <summary>Why new work was refused: the problem to answer with, and the tag it is counted under.</summary>
internal sealed record LoadRefusal(int Status, string Title, string Reason, string RetryAfterSeconds, string Detail)
{
    public const string ReasonRuns = "max_concurrent_runs";
    public const string ReasonSubscribers = "max_subscribers";
    public const string ReasonLogBytes = "max_log_bytes";
    public const string ReasonRunsPerCaller = "max_runs_per_principal";
    public const string ReasonShuttingDown = "shutting_down";

    /// <summary>Writes the problem with its <c>Retry-After</c>.</summary>
    public Task WriteAsync(HttpContext context)
    {
        context.Response.Headers.RetryAfter = RetryAfterSeconds;
        return Problems.WriteAsync(context, Status, Title, Detail);
    }
}
