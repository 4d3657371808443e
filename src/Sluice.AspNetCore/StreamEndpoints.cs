using System.Globalization;
using Microsoft.AspNetCore.Http;
using Sluice.Protocol;
using Sluice.ReplayLog;

namespace Sluice.AspNetCore;

/// <summary>The HTTP handlers of the native protocol (<c>docs/PROTOCOL.md</c>).</summary>
internal static class StreamEndpoints
{
    /// <summary>
    /// <c>POST /v1/streams</c>: validates the body, starts a run and streams it as the response.
    /// </summary>
    /// <remarks>
    /// 1. Reject a wrong content type (415) or an oversized body (413) before parsing.
    /// 2. Parse and validate the body (400 naming the position or the fields).
    /// 3. Admit the work against <c>Sluice:Limits</c>: a subscriber (this response) and a run, globally and for this
    ///    caller (503, or 429 for the caller's own limit, with <c>Retry-After</c>). After validation, so a client error
    ///    is reported the same under any load, and a slow upload holds no slot.
    /// 4. Start the run, recording its owner (503 with <c>Retry-After</c> when the shared log cannot be reached); from
    ///    here on, failures are <c>error</c> events, not status codes.
    /// 5. Stream the run to this connection as its first subscriber.
    /// </remarks>
    public static async Task StartAsync(HttpContext context, RunRegistry runs, EventStreamResponse stream, SluiceOptions options, LoadLimiter limits)
    {
        var request = context.Request;
        var parsed = await JsonRequestBody.ReadAsync(context, options, StreamRequestParser.Parse);
        if (parsed is null)
        {
            return;
        }

        if (parsed.SyntaxError is { } syntaxError)
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "Malformed request body", syntaxError);
            return;
        }

        if (parsed.FieldErrors is { } fieldErrors)
        {
            await Problems.WriteValidationAsync(context, fieldErrors);
            return;
        }

        if (await RunStarter.TryStartAsync(context, parsed.Request!, runs, limits, options) is not { } started)
        {
            return; // Refused under Sluice:Limits; the problem is written.
        }

        var (run, resumeToken) = started;

        await stream.SendAsync(context, run, afterSeq: -1, new NativeFrameWriter(options.ClientRetry), response =>
        {
            response.Headers.Location = $"{request.PathBase}{request.Path}/{run.Id}";
            if (resumeToken is not null)
            {
                response.Headers[SluiceHeaders.ResumeToken] = resumeToken;
            }
        });
    }

    /// <summary>
    /// <c>GET /v1/streams/{id}</c>: replays what the reader lacks (from <c>Last-Event-ID</c> or <c>?after=</c>), then
    /// continues live until the terminal event.
    /// </summary>
    /// <remarks>
    /// Ownership (404) and the position (400) are checked first; then the response must fit under
    /// <c>Sluice:Limits:MaxSubscribers</c> (503 with <c>Retry-After</c>): resuming an existing stream costs a reader too.
    /// </remarks>
    public static async Task ResumeAsync(HttpContext context, string id, RunRegistry runs, EventStreamResponse stream, SluiceOptions options)
    {
        if (await FindOwnedRunAsync(context, id, runs, options) is not { } run)
        {
            return;
        }

        await stream.ResumeAsync(context, run, readPosition: true, new NativeFrameWriter(options.ClientRetry));
    }

    /// <summary><c>DELETE /v1/streams/{id}</c>: cancels the upstream call at once. 202 when this cancels it, 204 when already over.</summary>
    /// <remarks>On a node that does not own the run, the cancel is forwarded to the owner, which cancels the upstream call.</remarks>
    public static async Task CancelAsync(HttpContext context, string id, RunRegistry runs, SluiceOptions options)
    {
        if (await FindOwnedRunAsync(context, id, runs, options) is not { } run)
        {
            return;
        }

        // Idempotent: a repeated DELETE while the cancellation is still landing is also 202.
        var stillGoing = run.Cancel(RunCancellationCause.Deleted) || !run.IsFinished;
        context.Response.StatusCode = stillGoing ? StatusCodes.Status202Accepted : StatusCodes.Status204NoContent;
    }

    /// <summary><c>GET /v1/streams/{id}/result</c>: the accumulated state so far, as JSON.</summary>
    public static async Task ResultAsync(HttpContext context, string id, RunRegistry runs, IReplayLog log, SluiceOptions options)
    {
        if (await FindOwnedRunAsync(context, id, runs, options) is not { } run)
        {
            return;
        }

        StreamResult? result;
        try
        {
            result = await StreamResult.ReadAsync(log, run, context.RequestAborted);
        }
        catch (ReplayLogUnavailableException)
        {
            await WriteLogUnavailableAsync(context, options);
            return;
        }

        if (result is null)
        {
            await WriteNotFoundAsync(context); // Retention ended between the lookup and the read.
            return;
        }

        await TypedResults.Json(result, StreamResultJsonContext.Default.StreamResult).ExecuteAsync(context);
    }

    /// <summary>
    /// The run, on this node or another, when the request proves ownership; otherwise writes the answer (404, or 503
    /// when the shared log cannot be reached) and returns <see langword="null"/>.
    /// </summary>
    private static async ValueTask<IRunHandle?> FindOwnedRunAsync(HttpContext context, string id, RunRegistry runs, SluiceOptions options)
    {
        IRunHandle? run;
        try
        {
            run = await runs.FindAsync(id, context.RequestAborted);
        }
        catch (ReplayLogUnavailableException)
        {
            await WriteLogUnavailableAsync(context, options);
            return null;
        }

        // Wrong or missing proof is indistinguishable from an unknown id: a 403 would confirm that the id exists.
        if (run is not null && run.Owner.Admits(context))
        {
            return run;
        }

        await WriteNotFoundAsync(context);
        return null;
    }

    /// <remarks>Spec (PROTOCOL.md, "Resume"): the Last-Event-ID header wins over ?after; neither means from the start.</remarks>
    internal static bool TryReadPosition(HttpRequest request, long head, out long afterSeq, out string error)
    {
        string? raw = request.Headers[SluiceHeaders.LastEventId];
        var source = SluiceHeaders.LastEventId;
        if (string.IsNullOrEmpty(raw))
        {
            raw = request.Query["after"];
            source = "after";
        }

        afterSeq = -1;
        error = string.Empty;
        if (string.IsNullOrEmpty(raw))
        {
            return true;
        }

        if (!long.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out afterSeq))
        {
            error = $"{source} must be a non-negative integer (a seq), not '{raw}'.";
            return false;
        }

        if (afterSeq > head)
        {
            error = $"{source} {afterSeq} is beyond the last event of this stream ({head}).";
            return false;
        }

        return true;
    }

    private static Task WriteNotFoundAsync(HttpContext context) =>
        Problems.WriteAsync(context, StatusCodes.Status404NotFound, "Stream not found",
            "No stream with this id is available to you: it never existed, its retention has ended, or the request did not prove ownership.");

    /// <summary>503 with <c>Retry-After</c>: the shared replay log (Redis) cannot be reached; the gateway reconnects by itself.</summary>
    internal static Task WriteLogUnavailableAsync(HttpContext context, SluiceOptions options)
    {
        context.Response.Headers.RetryAfter = ((long)Math.Ceiling(options.Limits.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, "Replay log unavailable",
            "The gateway cannot reach its replay log (Redis) right now; retry later. Streams already recorded are kept.");
    }
}
