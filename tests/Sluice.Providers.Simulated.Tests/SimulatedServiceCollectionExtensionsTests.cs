using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Sluice.Protocol;

namespace Sluice.Providers.Simulated.Tests;

public sealed class SimulatedServiceCollectionExtensionsTests
{
    [Fact]
    public void AddSluiceSimulated_NullServices_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => SimulatedServiceCollectionExtensions.AddSluiceSimulated(null!));
    }

    [Fact]
    public void AddSluiceSimulated_NoTimeProvider_RegistersSystemClock()
    {
        var services = new ServiceCollection().AddSluiceSimulated();

        var descriptor = Assert.Single(services, d => d.ServiceType == typeof(TimeProvider));
        Assert.Same(TimeProvider.System, descriptor.ImplementationInstance);
    }

    [Fact]
    public void AddSluiceSimulated_ExistingTimeProvider_KeepsIt()
    {
        var fake = new FakeTimeProvider();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(fake).AddSluiceSimulated();

        Assert.Same(fake, Assert.Single(services, d => d.ServiceType == typeof(TimeProvider)).ImplementationInstance);
    }

    [Fact]
    public void AddSluiceSimulated_Options_SingletonSourceUsesThemAndTimeProviderFromContainer()
    {
        var services = new ServiceCollection().AddSluiceSimulated(new SimulatedOptions { Model = "sim-x" });
        var descriptor = Assert.Single(services, d => d.ServiceType == typeof(IStreamSource));

        Assert.Equal(ServiceLifetime.Singleton, descriptor.Lifetime);
        var source = Assert.IsType<SimulatedStreamSource>(descriptor.ImplementationFactory!(new SingleServiceProvider(new FakeTimeProvider())));
        Assert.Equal("sim-x", source.DefaultModel);
    }

    [Fact]
    public void AddSluiceSimulated_NoOptions_UsesDefaults()
    {
        var descriptor = Assert.Single(new ServiceCollection().AddSluiceSimulated(), d => d.ServiceType == typeof(IStreamSource));

        var source = (IStreamSource)descriptor.ImplementationFactory!(new SingleServiceProvider(TimeProvider.System));

        Assert.Equal(SimulatedOptions.Default.Model, source.DefaultModel);
    }

    /// <summary>Just enough container to run a registration's factory, without a DI implementation package.</summary>
    private sealed class SingleServiceProvider(TimeProvider timeProvider) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(TimeProvider) ? timeProvider : null;
    }
}
