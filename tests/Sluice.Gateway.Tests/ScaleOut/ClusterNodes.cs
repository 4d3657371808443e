using Sluice.TestSupport;

namespace Sluice.Gateway.Tests.ScaleOut;

/// <summary>A Redis of the test's own, and the settings that make a gateway one node of a cluster on it.</summary>
internal static class ClusterNodes
{
    /// <summary>Short enough that a lost owner is noticed within a test's patience.</summary>
    public static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(1.5);

    /// <summary>Starts redis-server on a free loopback port; skips the test without it, fails it on CI (which installs it).</summary>
    public static async Task<RedisServer> StartRedisAsync(CancellationToken cancellationToken)
    {
        if (RedisServer.FindExecutable() is { } executable)
        {
            return await RedisServer.StartAsync(executable, cancellationToken);
        }

        const string Missing = "redis-server is not installed (apt-get install redis-server).";
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail(Missing);
        }

        Assert.Skip(Missing);
        return null!;
    }

    /// <summary>The settings of one gateway node on <paramref name="redis"/>, with the simulated model at <paramref name="tokensPerSecond"/>.</summary>
    public static Dictionary<string, string?> Settings(RedisServer redis, string nodeId, int tokensPerSecond = 200) => new()
    {
        ["Sluice:ReplayLog"] = "redis",

        // Short timeouts: while Redis is down, requests get their 503 in about a second rather than five.
        ["ConnectionStrings:Redis"] = $"{redis.Endpoint},connectTimeout=1000,asyncTimeout=1000,syncTimeout=1000",
        ["Sluice:Cluster:NodeId"] = nodeId,
        ["Sluice:Cluster:LeaseTime"] = LeaseTime.ToString("c", System.Globalization.CultureInfo.InvariantCulture),
        ["Sluice:Simulated:TokensPerSecond"] = tokensPerSecond.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Sluice:Simulated:FirstTokenDelayMs"] = "0",
        ["Sluice:Ui:Enabled"] = "false",
        ["Logging:LogLevel:Default"] = "Warning",
    };
}
