using Microsoft.Extensions.DependencyInjection.Extensions;
using Sluice.Protocol;
using Sluice.Providers.Simulated;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the simulated provider.</summary>
public static class SimulatedServiceCollectionExtensions
{
    /// <summary>
    /// Registers the simulated provider as the <see cref="IStreamSource"/> singleton, and
    /// <see cref="TimeProvider.System"/> as the <see cref="TimeProvider"/> unless one is already registered.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">How the provider streams; <see cref="SimulatedOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddSluiceSimulated(this IServiceCollection services, SimulatedOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var resolved = options ?? SimulatedOptions.Default;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IStreamSource>(provider =>
            new SimulatedStreamSource(resolved, provider.GetRequiredService<TimeProvider>()));
        return services;
    }
}
