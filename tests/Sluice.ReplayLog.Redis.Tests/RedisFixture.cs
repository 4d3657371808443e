using Sluice.ReplayLog.Redis.Tests;
using Sluice.TestSupport;
using StackExchange.Redis;

[assembly: AssemblyFixture(typeof(RedisFixture))]

namespace Sluice.ReplayLog.Redis.Tests;

/// <summary>
/// One redis-server for the whole assembly, and a connection to it that the tests share (each test's log gets a key
/// prefix of its own). Tests that stop Redis start a server of their own (<see cref="StartServerAsync"/>).
/// </summary>
/// <remarks>
/// Without redis-server (Debian package <c>redis-server</c>) the tests are skipped with that reason, except on CI
/// (<c>CI=true</c>), where the fixture fails so that a missing install cannot pass as green.
/// </remarks>
public sealed class RedisFixture : IAsyncLifetime
{
    private static int s_prefixes;
    private RedisServer? _server;
    private ConnectionMultiplexer? _multiplexer;
    private ConnectionMultiplexer? _otherNode;
    private string? _executable;

    /// <summary>Why the tests cannot run here; null when they can.</summary>
    public string? Unavailable { get; private set; }

    public RedisServer Server => _server ?? throw new InvalidOperationException(Unavailable);

    /// <summary>The shared connection (one "node").</summary>
    public IConnectionMultiplexer Multiplexer => _multiplexer ?? throw new InvalidOperationException(Unavailable);

    /// <summary>A second connection to the same server, for a second "node".</summary>
    public IConnectionMultiplexer OtherNode => _otherNode ?? throw new InvalidOperationException(Unavailable);

    public async ValueTask InitializeAsync()
    {
        _executable = RedisServer.FindExecutable();
        if (_executable is null)
        {
            const string Reason = "redis-server is not installed (Debian package redis-server): the Redis replay log tests need a real Redis.";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.Ordinal))
            {
                throw new InvalidOperationException(Reason + " CI must install it.");
            }

            Unavailable = Reason;
            return;
        }

        _server = await StartServerAsync(CancellationToken.None);
        _multiplexer = await ConnectionMultiplexer.ConnectAsync(_server.Endpoint);
        _otherNode = await ConnectionMultiplexer.ConnectAsync(_server.Endpoint);
    }

    /// <summary>Skips the calling test when Redis cannot run here.</summary>
    public void SkipIfUnavailable()
    {
        if (Unavailable is not null)
        {
            Assert.Skip(Unavailable);
        }
    }

    /// <summary>A key prefix no other test uses.</summary>
    public static string NewPrefix() => $"test{Interlocked.Increment(ref s_prefixes)}:";

    /// <summary>A server of the caller's own (to stop, or to count its commands); the caller disposes it.</summary>
    public Task<RedisServer> StartServerAsync(CancellationToken cancellationToken)
    {
        SkipIfUnavailable();
        return RedisServer.StartAsync(_executable!, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_otherNode is not null)
        {
            await _otherNode.DisposeAsync();
        }

        if (_multiplexer is not null)
        {
            await _multiplexer.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
