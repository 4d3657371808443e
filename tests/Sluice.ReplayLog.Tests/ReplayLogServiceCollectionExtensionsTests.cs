using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Protocol;

namespace Sluice.ReplayLog.Tests;

public sealed class ReplayLogServiceCollectionExtensionsTests
{
    [Fact]
    public void AddSluiceInMemoryReplayLog_NullServices_Throws()
    {
        Assert.Throws<ArgumentNullException>(() => ReplayLogServiceCollectionExtensions.AddSluiceInMemoryReplayLog(null!));
    }

    [Fact]
    public void AddSluiceInMemoryReplayLog_Empty_RegistersInMemorySingleton()
    {
        var descriptor = Assert.Single(new ServiceCollection().AddSluiceInMemoryReplayLog(), d => d.ServiceType == typeof(IReplayLog));

        Assert.Equal(ServiceLifetime.Singleton, descriptor.Lifetime);
        Assert.IsType<InMemoryReplayLog>(descriptor.ImplementationFactory!(new MeterFactoryProvider(null)));
    }

    [Fact]
    public void AddSluiceInMemoryReplayLog_LogAlreadyRegistered_KeepsIt()
    {
        var existing = new InMemoryReplayLog(ReplayLogOptions.Default);
        var services = new ServiceCollection().AddSingleton<IReplayLog>(existing).AddSluiceInMemoryReplayLog();

        Assert.Same(existing, Assert.Single(services, d => d.ServiceType == typeof(IReplayLog)).ImplementationInstance);
    }

    [Fact]
    public async Task AddSluiceInMemoryReplayLog_OptionsAndMeterFactory_AreUsed()
    {
        var ct = TestContext.Current.CancellationToken;
        using var factory = new TestMeterFactory();
        var descriptor = Assert.Single(
            new ServiceCollection().AddSluiceInMemoryReplayLog(new ReplayLogOptions { MaxEventsPerStream = 1 }),
            d => d.ServiceType == typeof(IReplayLog));

        var log = (IReplayLog)descriptor.ImplementationFactory!(new MeterFactoryProvider(factory));
        await log.CreateAsync("s", ct);
        await TestStreams.AppendAsync(log, "s", 0, TestStreams.OpenAnswer(1));

        Assert.Equal("Sluice.ReplayLog", Assert.Single(factory.Meters).Name);
        var result = await log.ReadAsync("s", -1, new SequencedEvent[4], ct);
        Assert.True(result.StartsWithSnapshot);
    }

    /// <summary>Just enough container to run a registration's factory, without a DI implementation package.</summary>
    private sealed class MeterFactoryProvider(IMeterFactory? meterFactory) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(IMeterFactory) ? meterFactory : null;
    }
}
