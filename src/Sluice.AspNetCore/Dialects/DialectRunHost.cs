using Microsoft.AspNetCore.Http;
using Sluice.Protocol;

namespace Sluice.AspNetCore.Dialects;

/// <summary>
/// What every dialect endpoint does with a run, whatever its encoding: start one for a conversation, resume the
/// conversation's active run, stop it. The same runs, log, limits and cancellation as the native protocol; only the
/// <see cref="StreamFrameWriter"/> differs.
/// </summary>
internal sealed class DialectRunHost(
    RunRegistry runs,
    ConversationRuns conversations,
    EventStreamResponse stream,
    SluiceOptions options,
    LoadLimiter limits)
{
    public SluiceOptions Options => options;

    /// <summary>Writes the 400 for a body that did not parse; true when it did (nothing written).</summary>
    public static async Task<bool> AcceptAsync<T>(HttpContext context, DialectParseResult<T> parsed)
        where T : class
    {
        if (parsed.SyntaxError is { } syntaxError)
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "Malformed request body", syntaxError);
            return false;
        }

        if (parsed.FieldErrors is { } fieldErrors)
        {
            await Problems.WriteValidationAsync(context, fieldErrors);
            return false;
        }

        return true;
    }

    /// <summary>
    /// Starts a run for the conversation and streams it as this response, encoded by <paramref name="frames"/>.
    /// </summary>
    /// <remarks>
    /// 1. A conversation whose active run belongs to another principal is not taken over (409).
    /// 2. Admit and start the run under <c>Sluice:Limits</c> (503/429 with <c>Retry-After</c>).
    /// 3. Record it as the conversation's active run with a fresh message id; a still-running previous run of the same
    ///    conversation is cancelled (the client sent a new message or regenerated: nobody will read the old answer).
    /// 4. Stream it from the start; an anonymous caller also gets the resume token for the native endpoints.
    /// </remarks>
    public async Task StartAsync(HttpContext context, string conversationKey, StreamRequest request, string? dialectRunId, Func<ConversationRun, StreamFrameWriter> frames, Action<HttpResponse>? addHeaders = null)
    {
        if (conversations.TryGetActive(conversationKey, out var current) && !current.Admits(context))
        {
            await Problems.WriteAsync(context, StatusCodes.Status409Conflict, "Conversation in use",
                "Another caller has a run going in this conversation; use a conversation id of your own.");
            return;
        }

        if (await RunStarter.TryStartAsync(context, request, runs, limits, options) is not { } started)
        {
            return; // Refused under Sluice:Limits; the problem is written.
        }

        var (run, resumeToken) = started;
        var entry = new ConversationRun(run, "msg-" + StreamIds.NewId(), dialectRunId, RunOwner.PrincipalOf(context));
        conversations.Register(conversationKey, entry)?.Run.Cancel(RunCancellationCause.Deleted);
        await stream.SendAsync(context, run, afterSeq: -1, frames(entry), response =>
        {
            if (resumeToken is not null)
            {
                response.Headers[SluiceHeaders.ResumeToken] = resumeToken;
            }

            addHeaders?.Invoke(response);
        });
    }

    /// <summary>
    /// Streams the conversation's active run again: 204 when there is none (or it is not the caller's, which looks the
    /// same); otherwise the whole message from its start (a snapshot prefix where the log has evicted the beginning),
    /// or, with <c>Last-Event-ID</c> when <paramref name="acceptsPosition"/>, only what follows that seq.
    /// </summary>
    public async Task ResumeAsync(HttpContext context, string conversationKey, bool acceptsPosition, Func<ConversationRun, StreamFrameWriter> frames, Action<HttpResponse>? addHeaders = null)
    {
        if (!conversations.TryGetActive(conversationKey, out var entry) || !entry.Admits(context))
        {
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }

        await stream.ResumeAsync(context, entry.Run, readPosition: acceptsPosition, frames(entry), addHeaders);
    }

    /// <summary>Cancels the conversation's active run at once: 202 when this cancels it, 204 when there is none (or not the caller's).</summary>
    public void Stop(HttpContext context, string conversationKey)
    {
        if (conversations.TryGetActive(conversationKey, out var entry) && entry.Admits(context))
        {
            entry.Run.Cancel(RunCancellationCause.Deleted);
            context.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }

        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
