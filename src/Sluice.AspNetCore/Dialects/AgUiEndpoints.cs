using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Sluice.AspNetCore.Dialects;

/// <summary>The HTTP handlers of AG-UI (<c>docs/PROTOCOL.md</c>, "AG-UI"): what <c>HttpAgent</c> calls, and resume and stop.</summary>
internal static class AgUiEndpoints
{
    /// <summary><c>POST {url}</c> with a <c>RunAgentInput</c>: starts a run for the thread and streams it as AG-UI events.</summary>
    public static async Task RunAsync(HttpContext context, [FromServices] DialectRunHost host)
    {
        var parsed = await JsonRequestBody.ReadAsync(context, host.Options, AgUiRunInputParser.Parse);
        if (parsed is null || !await DialectRunHost.AcceptAsync(context, parsed))
        {
            return;
        }

        var input = parsed.Value!;
        await host.StartAsync(context, Key(input.ThreadId), input.Request, input.RunId, entry => NewWriter(input.ThreadId, entry));
    }

    /// <summary>
    /// <c>GET {url}/{threadId}/stream</c>: 204 when the thread has no active run, else the run again from
    /// <c>RUN_STARTED</c> (the client rejects anything before it), with a compacted prefix where the log has evicted
    /// the beginning, then live. Always the whole run: a position cannot be honoured, because the client would reject
    /// the content of a message whose start it does not see in the same response.
    /// </summary>
    public static Task ResumeAsync(HttpContext context, string threadId, [FromServices] DialectRunHost host) =>
        host.ResumeAsync(context, Key(threadId), acceptsPosition: false, entry => NewWriter(threadId, entry));

    /// <summary><c>POST {url}/{threadId}/stop</c>: cancels the thread's run upstream (<c>abortRun()</c> only closes the request).</summary>
    public static void Stop(HttpContext context, string threadId, [FromServices] DialectRunHost host) => host.Stop(context, Key(threadId));

    private static string Key(string threadId) => "ag-ui:" + threadId;

    private static AgUiFrameWriter NewWriter(string threadId, ConversationRun entry) =>
        new(threadId, entry.DialectRunId ?? entry.Run.Id, entry.MessageId);
}
