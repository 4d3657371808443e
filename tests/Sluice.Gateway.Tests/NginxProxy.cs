using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Sluice.TestSupport;

namespace Sluice.Gateway.Tests;

/// <summary>
/// Debian's nginx on a free loopback port, running the repository's <c>docs/deploy/nginx.conf</c> with only its listen
/// address, its upstream and its file locations replaced, so the test proves the documented configuration.
/// </summary>
internal sealed class NginxProxy : IAsyncDisposable
{
    private static readonly string[] Candidates = ["/usr/sbin/nginx", "/usr/bin/nginx"];
    private readonly Process _process;
    private readonly string _directory;

    private NginxProxy(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
    }

    public Uri Address { get; }

    public static string? Executable => Candidates.FirstOrDefault(File.Exists);

    /// <summary>Skips the calling test where nginx is not installed, fails it on CI (which installs it).</summary>
    public static string Require()
    {
        if (Executable is { } path)
        {
            return path;
        }

        const string Missing = "nginx is not installed (apt-get install nginx-light).";
        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail(Missing);
        }

        Assert.Skip(Missing);
        return null!;
    }

    public static Task<NginxProxy> StartAsync(Uri upstream, CancellationToken cancellationToken) =>
        StartAsync([upstream], cancellationToken);

    /// <summary>
    /// Starts nginx with one <c>server</c> line per gateway in the upstream (round robin, no stickiness: the config's
    /// default). Every response carries <c>X-Upstream-Addr</c>, the gateway that served it.
    /// </summary>
    public static async Task<NginxProxy> StartAsync(IReadOnlyList<Uri> upstreams, CancellationToken cancellationToken)
    {
        var executable = Require();
        var directory = Directory.CreateTempSubdirectory("sluice-nginx-").FullName;
        var port = FreePort();
        var servers = string.Join("\n        ", upstreams.Select(upstream => $"server {upstream.Host}:{upstream.Port};"));
        var config = (await File.ReadAllTextAsync(RepositoryPaths.Combine("docs", "deploy", "nginx.conf"), cancellationToken))
            .Replace("server 127.0.0.1:5000;", servers, StringComparison.Ordinal)
            .Replace("location / {", "location / {\n            add_header X-Upstream-Addr $upstream_addr always;", StringComparison.Ordinal)
            .Replace("listen 127.0.0.1:8080;", $"listen 127.0.0.1:{port};", StringComparison.Ordinal)
            .Replace("worker_processes auto;", "worker_processes 1;", StringComparison.Ordinal)

            // Files nginx would put under /var: here, in the test's own directory.
            .Replace("http {", $$"""
                http {
                    access_log off;
                    client_body_temp_path {{directory}}/body;
                    proxy_temp_path {{directory}}/proxy;
                    fastcgi_temp_path {{directory}}/fastcgi;
                    uwsgi_temp_path {{directory}}/uwsgi;
                    scgi_temp_path {{directory}}/scgi;
                """, StringComparison.Ordinal);
        var configPath = Path.Combine(directory, "nginx.conf");
        await File.WriteAllTextAsync(configPath, config, cancellationToken);

        var start = new ProcessStartInfo(executable)
        {
            ArgumentList = { "-p", directory, "-c", configPath, "-e", Path.Combine(directory, "error.log"), "-g", $"daemon off; pid {directory}/nginx.pid;" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start.");
        var proxy = new NginxProxy(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        await proxy.WaitUntilListeningAsync(port, cancellationToken);
        return proxy;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A worker may still hold a file for a moment; the temp directory is cleaned by the OS eventually.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }

    private async Task WaitUntilListeningAsync(int port, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(20));
        while (true)
        {
            if (_process.HasExited)
            {
                var log = Path.Combine(_directory, "error.log");
                var errors = File.Exists(log) ? await File.ReadAllTextAsync(log, cancellationToken) : string.Empty;
                throw new InvalidOperationException($"nginx exited with {_process.ExitCode}: {await _process.StandardError.ReadToEndAsync(cancellationToken)} {errors}");
            }

            try
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20, timeout.Token);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
