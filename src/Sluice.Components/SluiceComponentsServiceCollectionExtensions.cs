using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Sluice.Components;

/// <summary>Registers what the Sluice components need.</summary>
public static class SluiceComponentsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the <see cref="IRenderScheduler"/> the streaming components render through: a
    /// <see cref="BrowserRenderScheduler"/> per user (scoped), unless one is registered already.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    public static IServiceCollection AddSluiceComponents(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddScoped<IRenderScheduler, BrowserRenderScheduler>();
        return services;
    }
}
