using Microsoft.Extensions.DependencyInjection.Extensions;
using Sluice.AspNetCore;
using Sluice.AspNetCore.Dialects;
using Sluice.ReplayLog;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Sluice stream services.</summary>
public static class SluiceServiceCollectionExtensions
{
    /// <summary>
    /// Adds the services behind <c>MapSluice()</c>, <c>MapSluiceAiSdk()</c> and <c>MapSluiceAgUi()</c>. A provider (an <see cref="Sluice.Protocol.IStreamSource"/>) must
    /// be registered as well, e.g. with <c>AddSluiceSimulated()</c>. The replay log is in memory unless another
    /// <see cref="Sluice.ReplayLog.IReplayLog"/> was registered first; the runs are this node's alone unless an
    /// <see cref="IRunDirectory"/> (e.g. <c>AddSluiceRedisRunDirectory()</c>) was registered first.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">The settings; <see cref="SluiceOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddSluice(this IServiceCollection services, SluiceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(options ?? SluiceOptions.Default);
        services.AddMetrics();
        services.AddSluiceInMemoryReplayLog(); // Only if no other log (e.g. Redis) was registered before.
        services.TryAddSingleton<IRunDirectory, SingleNodeRunDirectory>(); // Only if no shared directory (e.g. Redis) was registered before.
        services.AddSingleton<SluiceMetrics>();
        services.AddSingleton<LoadLimiter>();
        services.AddSingleton<RunRegistry>();
        services.AddSingleton<RunSubscriber>();
        services.AddSingleton<FaultSwitch>();
        services.AddSingleton<EventStreamResponse>();
        services.AddSingleton<ConversationRuns>();
        services.AddSingleton<DialectRunHost>();
        services.AddProblemDetails();
        return services;
    }
}
