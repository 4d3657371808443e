using Microsoft.AspNetCore.Routing;
using Sluice.AspNetCore;

namespace Microsoft.AspNetCore.Builder;

/// <summary>Maps the Sluice endpoints.</summary>
public static class SluiceEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps the native protocol under <paramref name="prefix"/>: <c>POST {prefix}/streams</c> (start),
    /// <c>GET {prefix}/streams/{id}</c> (resume), <c>DELETE {prefix}/streams/{id}</c> (cancel) and
    /// <c>GET {prefix}/streams/{id}/result</c> (accumulated result).
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
        return group;
    }
}
