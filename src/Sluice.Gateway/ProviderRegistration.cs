using Sluice.Providers.Simulated;

namespace Sluice.Gateway;

/// <summary>Chooses the provider named by <c>Sluice:Provider</c>.</summary>
internal static class ProviderRegistration
{
    private const string Simulated = "simulated";

    public static IServiceCollection AddSluiceProvider(this IServiceCollection services, IConfigurationSection sluice)
    {
        var provider = sluice["Provider"] ?? Simulated;
        if (provider.Equals(Simulated, StringComparison.OrdinalIgnoreCase))
        {
            return services.AddSluiceSimulated(sluice.GetSection("Simulated").Get<SimulatedOptions>());
        }

        throw new InvalidOperationException(
            $"Unknown Sluice:Provider '{provider}'. Supported: '{Simulated}'.");
    }
}
