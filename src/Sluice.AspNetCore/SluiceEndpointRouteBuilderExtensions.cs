using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Sluice.AspNetCore;

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
}
