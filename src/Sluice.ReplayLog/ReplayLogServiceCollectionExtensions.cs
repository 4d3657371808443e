using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sluice.ReplayLog;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the in-memory replay log.</summary>
public static class ReplayLogServiceCollectionExtensions
{
    /// <summary>
    /// Registers the in-memory <see cref="IReplayLog"/> as a singleton, unless an <see cref="IReplayLog"/> is already
    /// registered (a distributed log registered first wins). It reports metrics when the container has an
    /// <see cref="IMeterFactory"/>.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">The per-stream bounds; <see cref="ReplayLogOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    public static IServiceCollection AddSluiceInMemoryReplayLog(this IServiceCollection services, ReplayLogOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var resolved = options ?? ReplayLogOptions.Default;
        services.TryAddSingleton<IReplayLog>(provider => new InMemoryReplayLog(resolved, provider.GetService<IMeterFactory>()));
        return services;
    }
}
