using StackExchange.Redis;

namespace Sluice.ReplayLog.Redis;

/// <summary>How the log connects: the connection string, with the log's defaults for what it leaves out.</summary>
internal static class RedisConnection
{
    /// <summary>
    /// Parses <paramref name="connectionString"/>; unless it names them, sets <c>abortConnect=false</c> (start while
    /// Redis is down, reconnect by itself) and the connect and command timeouts of <paramref name="options"/>.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="connectionString"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or malformed.</exception>
    public static ConfigurationOptions Configure(string connectionString, RedisReplayLogOptions options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        ConfigurationOptions configuration;
        try
        {
            configuration = ConfigurationOptions.Parse(connectionString);
        }
        catch (Exception ex) when (ex is not ArgumentException)
        {
            throw new ArgumentException($"Not a valid Redis configuration string: {ex.Message}", nameof(connectionString), ex);
        }

        if (configuration.EndPoints.Count == 0)
        {
            throw new ArgumentException("The Redis configuration string names no endpoint (host:port).", nameof(connectionString));
        }

        var named = Names(connectionString);
        if (!named.Contains("abortConnect"))
        {
            configuration.AbortOnConnectFail = false;
        }

        if (!named.Contains("connectTimeout"))
        {
            configuration.ConnectTimeout = Milliseconds(options.ConnectTimeout);
        }

        if (!named.Contains("syncTimeout"))
        {
            configuration.SyncTimeout = Milliseconds(options.OperationTimeout);
        }

        if (!named.Contains("asyncTimeout"))
        {
            configuration.AsyncTimeout = Milliseconds(options.OperationTimeout);
        }

        return configuration;
    }

    // The option names the string sets ("name=value" parts; the others are endpoints).
    private static HashSet<string> Names(string connectionString)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                names.Add(part[..equals].Trim());
            }
        }

        return names;
    }

    private static int Milliseconds(TimeSpan value) => (int)Math.Min(int.MaxValue, Math.Ceiling(value.TotalMilliseconds));
}
