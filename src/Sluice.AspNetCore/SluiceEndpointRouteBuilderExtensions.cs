using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Sluice.AspNetCore;
using Sluice.AspNetCore.Dialects;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Sluice endpoints.</summary>
public static class SluiceEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the native protocol under <paramref name="prefix"/>: <c>POST {prefix}/streams</c> (start),
    /// <c>GET {prefix}/streams/{id}</c> (resume), <c>DELETE {prefix}/streams/{id}</c> (cancel) and
    /// <c>GET {prefix}/streams/{id}/result</c> (accumulated result); with <see cref="FaultOptions.EnableEndpoint"/>, also
    /// <c>POST {prefix}/faults</c> (fault injection, for tests).
    /// </summary>
    /// <param name="endpoints">The application's endpoint builder.</param>
    /// <param name="prefix">The route prefix; <c>/v1</c> by default.</param>
    /// <returns>The group, so authorization, rate limiting and the like can be added to every Sluice endpoint.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is null.</exception>
    /// <exception cref="InvalidOperationException"><c>AddSluice()</c> was not called (when the app starts).</exception>
    public static RouteGroupBuilder MapSluice(this IEndpointRouteBuilder endpoints, string prefix = "/v1")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(prefix);
        group.MapPost("/streams", StreamEndpoints.StartAsync)
            .WithName("SluiceStartStream")
            .WithDisplayName("Sluice: start a stream");
        group.MapGet("/streams/{id}", StreamEndpoints.ResumeAsync)
            .WithName("SluiceResumeStream")
            .WithDisplayName("Sluice: resume a stream");
        group.MapDelete("/streams/{id}", StreamEndpoints.CancelAsync)
            .WithName("SluiceCancelStream")
            .WithDisplayName("Sluice: cancel a stream");
        group.MapGet("/streams/{id}/result", StreamEndpoints.ResultAsync)
            .WithName("SluiceStreamResult")
            .WithDisplayName("Sluice: accumulated result");
        if (endpoints.ServiceProvider.GetService<SluiceOptions>() is { Faults.EnableEndpoint: true })
        {
            // Test-only (Sluice:Faults:EnableEndpoint): changes the fault switch at run time.
            group.MapPost("/faults", FaultEndpoints.SetAsync)
                .WithName("SluiceFaults")
                .WithDisplayName("Sluice: fault injection (tests)");
        }

        return group;
    }

    /// <summary>
    /// Maps the Vercel AI SDK UI message stream (v1) under <paramref name="pattern"/>, for <c>useChat</c> with its
    /// <c>DefaultChatTransport</c>: <c>POST {pattern}</c> (send a message: the body the transport sends, answered as UI
    /// message chunks), <c>GET {pattern}/{chatId}/stream</c> (resume: 204 when the chat has no active run, else the whole
    /// message again, then live) and <c>POST {pattern}/{chatId}/stop</c> (cancel the run upstream). Same runs, replay
    /// log, limits and cancellation as <see cref="MapSluice"/>; see <c>docs/PROTOCOL.md</c>.
    /// </summary>
    /// <param name="endpoints">The application's endpoint builder.</param>
    /// <param name="pattern">The transport's <c>api</c>; <c>/api/chat</c> (the AI SDK's default) by default.</param>
    /// <returns>The group, so authorization, CORS, rate limiting and the like can be added to these endpoints.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="pattern"/> is null.</exception>
    /// <exception cref="InvalidOperationException"><c>AddSluice()</c> was not called (when the app starts).</exception>
    public static RouteGroupBuilder MapSluiceAiSdk(this IEndpointRouteBuilder endpoints, string pattern = "/api/chat")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        var group = endpoints.MapGroup(pattern);
        group.MapPost(string.Empty, AiSdkEndpoints.ChatAsync)
            .WithName("SluiceAiSdkChat")
            .WithDisplayName("Sluice: AI SDK chat");
        group.MapGet("/{chatId}/stream", AiSdkEndpoints.ResumeAsync)
            .WithName("SluiceAiSdkResume")
            .WithDisplayName("Sluice: AI SDK resume");
        group.MapPost("/{chatId}/stop", AiSdkEndpoints.Stop)
            .WithName("SluiceAiSdkStop")
            .WithDisplayName("Sluice: AI SDK stop");
        return group;
    }

    /// <summary>
    /// Maps AG-UI under <paramref name="pattern"/>, for <c>HttpAgent</c> from <c>@ag-ui/client</c>: <c>POST {pattern}</c>
    /// (run: a <c>RunAgentInput</c>, answered as AG-UI events over SSE), <c>GET {pattern}/{threadId}/stream</c> (resume
    /// the thread's active run from <c>RUN_STARTED</c>; 204 when there is none) and <c>POST {pattern}/{threadId}/stop</c>
    /// (cancel the run upstream). Same runs, replay log, limits and cancellation as <see cref="MapSluice"/>; see
    /// <c>docs/PROTOCOL.md</c>.
    /// </summary>
    /// <param name="endpoints">The application's endpoint builder.</param>
    /// <param name="pattern">The agent's <c>url</c>; <c>/ag-ui</c> by default.</param>
    /// <returns>The group, so authorization, CORS, rate limiting and the like can be added to these endpoints.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> or <paramref name="pattern"/> is null.</exception>
    /// <exception cref="InvalidOperationException"><c>AddSluice()</c> was not called (when the app starts).</exception>
    public static RouteGroupBuilder MapSluiceAgUi(this IEndpointRouteBuilder endpoints, string pattern = "/ag-ui")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(pattern);
        var group = endpoints.MapGroup(pattern);
        group.MapPost(string.Empty, AgUiEndpoints.RunAsync)
            .WithName("SluiceAgUiRun")
            .WithDisplayName("Sluice: AG-UI run");
        group.MapGet("/{threadId}/stream", AgUiEndpoints.ResumeAsync)
            .WithName("SluiceAgUiResume")
            .WithDisplayName("Sluice: AG-UI resume");
        group.MapPost("/{threadId}/stop", AgUiEndpoints.Stop)
            .WithName("SluiceAgUiStop")
            .WithDisplayName("Sluice: AG-UI stop");
        return group;
    }
}
