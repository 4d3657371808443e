using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Sluice.TestSupport;

/// <summary>
/// A redis-server process of the tests' own, on a free loopback port, without persistence, in a temporary directory.
/// It can be stopped and started again on the same port (empty: nothing is saved).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    private readonly string _executable;
    private readonly string _directory;
    private Process? _process;

    private RedisServer(string executable, string directory, int port)
    {
        _executable = executable;
        _directory = directory;
        Port = port;
    }

    public int Port { get; private set; }

    /// <summary>The StackExchange.Redis endpoint: <c>127.0.0.1:port</c>.</summary>
    public string Endpoint => $"127.0.0.1:{Port}";

    /// <summary>
    /// Where redis-server is, or null when it is not installed: <c>SLUICE_REDIS_SERVER</c> when set (a path), else
    /// the first on <c>PATH</c> or in the usual directories.
    /// </summary>
    public static string? FindExecutable()
    {
        if (Environment.GetEnvironmentVariable("SLUICE_REDIS_SERVER") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : null;
        }

        var directories = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return directories.Append("/usr/bin").Append("/usr/sbin").Append("/usr/local/bin")
            .Select(directory => Path.Combine(directory, "redis-server"))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>Starts a server on a free port (another port if that one is taken meanwhile).</summary>
    public static async Task<RedisServer> StartAsync(string executable, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("sluice-redis-").FullName;
        var server = new RedisServer(executable, directory, FreePort());
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await server.StartAsync(cancellationToken);
                return server;
            }
            catch (InvalidOperationException) when (attempt < 5)
            {
                server.Port = FreePort();
            }
        }
    }

    /// <summary>Starts the process (again) on this server's port and waits until it answers PING.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("The server is running.");
        }

        var info = new ProcessStartInfo(_executable)
        {
            UseShellExecute = false,
            WorkingDirectory = _directory,
        };
        foreach (var argument in new[]
        {
            "--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty,
            "--appendonly", "no", "--dir", _directory, "--logfile", Path.Combine(_directory, "redis.log"), "--daemonize", "no",
        })
        {
            info.ArgumentList.Add(argument);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        _process = process;
        var deadline = Stopwatch.StartNew();
        while (!await PingAsync(cancellationToken))
        {
            if (process.HasExited || deadline.Elapsed > StartTimeout)
            {
                await StopAsync();
                throw new InvalidOperationException($"redis-server on port {Port} did not answer: {Log()}");
            }

            await Task.Delay(20, cancellationToken); // polling for the condition, bounded by StartTimeout
        }
    }

    /// <summary>Kills the process (as a crash would) and waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is not { } process)
        {
            return;
        }

        _process = null;
        if (!process.HasExited)
        {
            process.Kill();
        }

        await process.WaitForExitAsync();
        process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory; the system cleans it up.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task<bool> PingAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
            var stream = client.GetStream();
            await stream.WriteAsync("PING\r\n"u8.ToArray(), cancellationToken);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, cancellationToken);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return false;
        }
    }

    private string Log()
    {
        var path = Path.Combine(_directory, "redis.log");
        return File.Exists(path) ? string.Join(" | ", File.ReadLines(path).TakeLast(5)) : "(no log)";
    }
}
