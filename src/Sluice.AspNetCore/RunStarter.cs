using Microsoft.AspNetCore.Http;
using Sluice.Protocol;
using Sluice.ReplayLog;

namespace Sluice.AspNetCore;

/// <summary>
/// Admits and starts a run for a validated request, the same way for the native protocol and every dialect: a
/// subscriber slot (the response that will stream it) and a run slot under <c>Sluice:Limits</c>, then the run with
/// its owner.
/// </summary>
internal static class RunStarter
{
    /// <summary>
    /// Reserves the subscriber slot and the run slot (writing the 503/429 problem when refused), then starts the run
    /// (writing 503 when the replay log cannot be reached).
    /// On success the caller holds the subscriber slot; <see cref="EventStreamResponse.SendAsync"/> gives it back.
    /// </summary>
    /// <returns>The run and, for an anonymous caller, its resume token; <see langword="null"/> when refused.</returns>
    public static async Task<(StreamRun Run, string? ResumeToken)?> TryStartAsync(HttpContext context, StreamRequest request, RunRegistry runs, LoadLimiter limits, SluiceOptions options)
    {
        if (limits.TryOpenSubscriber() is { } noSubscriber)
        {
            await noSubscriber.WriteAsync(context);
            return null;
        }

        try
        {
            var callerKey = RunOwner.CallerKey(context);
            if (limits.TryStartRun(callerKey) is { } noRun)
            {
                limits.CloseSubscriber();
                await noRun.WriteAsync(context);
                return null;
            }

            var owner = RunOwner.For(context, out var resumeToken);
            var run = await runs.StartAsync(request, owner, resumeToken, callerKey, context.RequestAborted);
            return (run, resumeToken);
        }
        catch (ReplayLogUnavailableException)
        {
            limits.CloseSubscriber();
            await StreamEndpoints.WriteLogUnavailableAsync(context, options);
            return null;
        }
        catch
        {
            limits.CloseSubscriber();
            throw;
        }
    }
}
