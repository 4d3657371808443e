using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Sluice.ReplayLog.Tests;

namespace Sluice.ReplayLog.Redis.Tests;

/// <summary>The registration, the connection defaults, the options and the wake-up messages; no Redis needed.</summary>
public sealed class RedisConfigurationTests
{
    [Fact]
    public void AddSluiceRedisReplayLog_ReplacesALogRegisteredBefore()
    {
        var services = new ServiceCollection().AddSluiceInMemoryReplayLog().AddSluiceRedisReplayLog("localhost:6379");

        var descriptor = Assert.Single(services, d => d.ServiceType == typeof(IReplayLog));
        Assert.Equal(ServiceLifetime.Singleton, descriptor.Lifetime);

        // Registered first, it wins over the in-memory default too (which only adds a log when none is there).
        var reversed = new ServiceCollection().AddSluiceRedisReplayLog("localhost:6379").AddSluiceInMemoryReplayLog();
        Assert.Same(
            Assert.Single(reversed, d => d.ServiceType == typeof(IReplayLog)).ImplementationFactory!.Method,
            descriptor.ImplementationFactory!.Method);
    }

    [Fact]
    public async Task AddSluiceRedisReplayLog_FactoryMakesARedisLogWithTheOptionsAndMeters()
    {
        using var factory = new TestMeterFactory();
        var options = new RedisReplayLogOptions { KeyPrefix = "app:" };
        var descriptor = Assert.Single(new ServiceCollection().AddSluiceRedisReplayLog("localhost:6379", options), d => d.ServiceType == typeof(IReplayLog));

        await using var log = Assert.IsType<RedisReplayLog>(descriptor.ImplementationFactory!(new MeterFactoryProvider(factory)));

        Assert.Same(options, log.Options);
        Assert.Equal("Sluice.ReplayLog", Assert.Single(factory.Meters).Name);
        Assert.Equal("app:wake", log.WakeChannelName);
    }

    [Fact]
    public void AddSluiceRedisReplayLog_BadArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => RedisReplayLogServiceCollectionExtensions.AddSluiceRedisReplayLog(null!, "localhost"));
        Assert.Throws<ArgumentNullException>(() => new ServiceCollection().AddSluiceRedisReplayLog(null!));
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddSluiceRedisReplayLog(" "));
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddSluiceRedisReplayLog("password=x"));
    }

    [Fact]
    public void Configure_UnsetOptions_GetTheLogsDefaults()
    {
        var options = new RedisReplayLogOptions { ConnectTimeout = TimeSpan.FromSeconds(2), OperationTimeout = TimeSpan.FromMilliseconds(1500) };

        var configuration = RedisConnection.Configure("cache:6380,password=secret", options);

        Assert.False(configuration.AbortOnConnectFail);
        Assert.Equal((2000, 1500, 1500), (configuration.ConnectTimeout, configuration.SyncTimeout, configuration.AsyncTimeout));
        Assert.Equal("secret", configuration.Password);
    }

    [Fact]
    public void Configure_OptionsInTheString_Win()
    {
        var configuration = RedisConnection.Configure("cache:6380,abortConnect=true,connectTimeout=100,syncTimeout=200,asyncTimeout=300", RedisReplayLogOptions.Default);

        Assert.True(configuration.AbortOnConnectFail);
        Assert.Equal((100, 200, 300), (configuration.ConnectTimeout, configuration.SyncTimeout, configuration.AsyncTimeout));
    }

    [Fact]
    public void Options_Defaults_AndInvalidValuesThrow()
    {
        var defaults = RedisReplayLogOptions.Default;
        Assert.Equal(("sluice:", TimeSpan.FromMinutes(10), 1024), (defaults.KeyPrefix, defaults.KeyTimeToLive, defaults.MaxQueuedEvents));
        Assert.Equal(ReplayLogOptions.Default, defaults.Log);

        Assert.Throws<ArgumentException>(() => new RedisReplayLogOptions { KeyPrefix = "a{b" });
        Assert.Throws<ArgumentNullException>(() => new RedisReplayLogOptions { KeyPrefix = null! });
        Assert.Throws<ArgumentNullException>(() => new RedisReplayLogOptions { Log = null! });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisReplayLogOptions { KeyTimeToLive = TimeSpan.FromMilliseconds(999) });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisReplayLogOptions { ConnectTimeout = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisReplayLogOptions { OperationTimeout = TimeSpan.Zero });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisReplayLogOptions { MaxQueuedEvents = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new RedisReplayLogOptions { WaitRecheckInterval = TimeSpan.Zero });
    }

    [Theory]
    [InlineData("stream-1", 41, 'r', "41 r stream-1")]
    [InlineData("id with spaces", 0, 'c', "0 c id with spaces")]
    [InlineData("", -1, 'x', "-1 x ")]
    public void WakeMessage_RoundTrips(string streamId, long head, char letter, string message)
    {
        var state = letter switch { 'r' => StreamState.Running, 'c' => StreamState.Complete, _ => StreamState.Gone };
        Assert.Equal(message, WaiterRegistry.Message(streamId, head, state));
        Assert.True(WaiterRegistry.TryParse(message, out var parsedId, out var parsedHead, out var parsedState));
        Assert.Equal((streamId, head, state), (parsedId, parsedHead, parsedState));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("41")]
    [InlineData("x r s")]
    [InlineData("41 q s")]
    [InlineData("41 rs")]
    public void WakeMessage_Garbage_IsIgnored(string? message)
    {
        Assert.False(WaiterRegistry.TryParse(message, out _, out _, out _));
    }

    [Fact]
    public async Task Waiters_WakeUps_ReleaseOnlyTheWaitsTheySatisfy()
    {
        var registry = new WaiterRegistry();
        var atFive = new Waiter("s", 5);
        var atSeven = new Waiter("s", 7);
        var other = new Waiter("t", 0);
        registry.Add(atFive);
        registry.Add(atSeven);
        registry.Add(other);

        registry.Wake("s", 5, StreamState.Running);
        registry.Wake("s", 3, StreamState.Running);
        Assert.False(atFive.Task.IsCompleted || atSeven.Task.IsCompleted);

        registry.Wake("s", 6, StreamState.Running);
        await atFive.Task;
        Assert.False(atSeven.Task.IsCompleted);

        registry.Wake("s", 7, StreamState.Complete);
        await atSeven.Task;
        Assert.Equal(["t"], registry.WaitingStreams());

        registry.FailAll(new ReplayLogUnavailableException());
        await Assert.ThrowsAsync<ReplayLogUnavailableException>(() => other.Task);
        Assert.Empty(registry.WaitingStreams());
    }

    private sealed class MeterFactoryProvider(IMeterFactory? meterFactory) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(IMeterFactory) ? meterFactory : null;
    }
}
