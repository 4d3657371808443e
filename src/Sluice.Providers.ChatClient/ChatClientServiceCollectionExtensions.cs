using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sluice.Protocol;
using Sluice.Providers;
using Sluice.Providers.ChatClient;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers an <see cref="IChatClient"/> as Sluice's provider.</summary>
public static class ChatClientServiceCollectionExtensions
{
    /// <summary>
    /// Serves the <see cref="IChatClient"/> registered in the container as Sluice's <see cref="IStreamSource"/>, with
    /// upstream faults mapped to <c>error</c> events (and retried before the first event, if configured).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="defaultModel">The model name reported in <c>start</c> when the request names none.</param>
    /// <param name="upstream">Retry settings; none when <see langword="null"/>.</param>
    /// <returns>The services, for chaining.</returns>
    /// <remarks>
    /// Tool-call arguments arrive whole through this abstraction (it has no partial tool call). The stall timeout
    /// applies only where the client's HttpClient has a <see cref="StallTimeoutHandler"/>.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="defaultModel"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddSluiceChatClient(this IServiceCollection services, string defaultModel, UpstreamOptions? upstream = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(defaultModel);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IStreamSource>(provider =>
            new ChatClientStreamSource(provider.GetRequiredService<IChatClient>(), defaultModel)
                .WithUpstreamResilience(upstream, provider.GetRequiredService<TimeProvider>()));
        return services;
    }
}
