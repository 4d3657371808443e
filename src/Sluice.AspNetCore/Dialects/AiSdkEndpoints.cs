using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Sluice.AspNetCore.Dialects;

/// <summary>
/// The HTTP handlers of the AI SDK UI message stream (<c>docs/PROTOCOL.md</c>, "AI SDK UI message stream"): what
/// <c>useChat</c>'s <c>DefaultChatTransport</c> calls.
/// </summary>
internal static class AiSdkEndpoints
{
    /// <summary><c>POST {api}</c>: starts a run for the chat and streams it as UI message chunks.</summary>
    public static async Task ChatAsync(HttpContext context, [FromServices] DialectRunHost host)
    {
        var parsed = await JsonRequestBody.ReadAsync(context, host.Options, AiSdkChatRequestParser.Parse);
        if (parsed is null || !await DialectRunHost.AcceptAsync(context, parsed))
        {
            return;
        }

        var chat = parsed.Value!;
        await host.StartAsync(context, Key(chat.ChatId), chat.Request, dialectRunId: null, NewWriter, AddStreamHeader);
    }

    /// <summary>
    /// <c>GET {api}/{chatId}/stream</c> (the transport's <c>reconnectToStream</c>): 204 when the chat has no active run,
    /// else the whole message again from <c>start</c> with the same message id, then live; with <c>Last-Event-ID</c>,
    /// only what follows it (for a custom transport that keeps its own state).
    /// </summary>
    public static Task ResumeAsync(HttpContext context, string chatId, [FromServices] DialectRunHost host) =>
        host.ResumeAsync(context, Key(chatId), acceptsPosition: true, NewWriter, AddStreamHeader);

    /// <summary>
    /// <c>POST {api}/{chatId}/stop</c>: cancels the chat's run upstream. The client's <c>stop()</c> only closes its own
    /// request, which leaves the run going for the detach grace; the page calls this as well.
    /// </summary>
    public static void Stop(HttpContext context, string chatId, [FromServices] DialectRunHost host) => host.Stop(context, Key(chatId));

    private static string Key(string chatId) => "ai-sdk:" + chatId;

    private static AiSdkFrameWriter NewWriter(ConversationRun entry) => new(entry.MessageId);

    private static void AddStreamHeader(HttpResponse response) =>
        response.Headers[AiSdkFrameWriter.StreamHeader] = AiSdkFrameWriter.StreamVersion;
}
