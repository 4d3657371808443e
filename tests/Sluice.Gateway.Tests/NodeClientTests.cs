using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Protocol;
using Sluice.TestSupport;

namespace Sluice.Gateway.Tests;

/// <summary>
/// The real npm clients against the real gateway: tests/Sluice.Dialects.NodeTests runs the Vercel AI SDK's
/// <c>Chat</c> with its <c>DefaultChatTransport</c> and AG-UI's <c>HttpAgent</c> under <c>node --test</c>, with the
/// gateway's address in <c>SLUICE_URL</c>. Needs Node.js and <c>npm ci</c> in that folder (.ci/run does it): skipped
/// without them, except on CI.
/// </summary>
public sealed class NodeClientTests
{
    private static readonly TimeSpan NodeTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task AiSdkChat_And_AgUiHttpAgent_PassAgainstTheGateway_AndStopCancelsUpstream()
    {
        var folder = RepositoryPaths.Combine("tests", "Sluice.Dialects.NodeTests");
        SkipUnlessNodeIsReady(folder);

        ScenarioStreamSource? scenarios = null;
        await using var gateway = GatewayHost.Start(
            new Dictionary<string, string?>
            {
                ["Sluice:Provider"] = "simulated",
                ["Sluice:Ui:Enabled"] = "false",
                // Slow enough that a cut answer is still running when the client resumes, and a stop lands mid-answer.
                ["Sluice:Simulated:TokensPerSecond"] = "40",
                ["Sluice:Simulated:FirstTokenDelayMs"] = "20",
                // A small log, so a resumed answer begins with the compacted prefix rather than the whole log.
                ["Sluice:Log:MaxEventsPerStream"] = "16",
                // Only stop may cancel: a client that went away would otherwise be cancelled after the grace.
                ["Sluice:Runs:DetachedGrace"] = "00:10:00",
                ["Sluice:Faults:EnableEndpoint"] = "true",
            },
            services =>
            {
                var provider = services.Last(d => d.ServiceType == typeof(IStreamSource));
                services.Remove(provider);
                services.AddSingleton<IStreamSource>(sp => scenarios = new ScenarioStreamSource(Resolve(sp, provider)));
            });
        using var cancellations = new CancelledRunsListener(gateway.Services.GetRequiredService<IMeterFactory>());

        var (exitCode, output) = await RunNodeTestsAsync(folder, gateway.Addresses[0], TestContext.Current.CancellationToken);
        TestContext.Current.AddAttachment("node --test", output);

        Assert.True(exitCode == 0, $"node --test exited with {exitCode}:\n{output}");
        Assert.Contains("# fail 0", output, StringComparison.Ordinal);

        // The stop tests' answers were cancelled at the provider (not merely abandoned by the client), by stop.
        Assert.NotNull(scenarios);
        Assert.Contains(scenarios.CancelledPrompts, prompt => prompt.StartsWith("/answer weekend-in-lisbon", StringComparison.Ordinal));
        Assert.Contains(scenarios.CancelledPrompts, prompt => prompt.StartsWith("/answer deploy-checklist", StringComparison.Ordinal));
        Assert.True(cancellations.Deleted >= 2, $"sluice.runs.cancelled (deleted): {cancellations.Deleted}");
    }

    private static IStreamSource Resolve(IServiceProvider services, ServiceDescriptor descriptor) =>
        descriptor.ImplementationInstance as IStreamSource
        ?? descriptor.ImplementationFactory?.Invoke(services) as IStreamSource
        ?? (IStreamSource)ActivatorUtilities.CreateInstance(services, descriptor.ImplementationType!);

    private static void SkipUnlessNodeIsReady(string folder)
    {
        var missing = !File.Exists(Path.Combine(folder, "node_modules", "ai", "package.json")) ? "node_modules (run npm ci in tests/Sluice.Dialects.NodeTests)"
            : FindOnPath("node") is null ? "node (Node.js 20 or later)"
            : null;
        if (missing is null)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail($"CI must provide {missing}: .ci/run installs Node.js and runs npm ci.");
        }

        Assert.Skip($"Needs {missing}.");
    }

    private static async Task<(int ExitCode, string Output)> RunNodeTestsAsync(string folder, Uri gateway, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(FindOnPath("node")!)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["--test", "--test-concurrency=1", "--test-reporter=tap"])
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["SLUICE_URL"] = gateway.ToString().TrimEnd('/');
        using var node = Process.Start(start)!;
        var output = new StringBuilder();
        var stdout = PumpAsync(node.StandardOutput, output);
        var stderr = PumpAsync(node.StandardError, output);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(NodeTimeout);
        try
        {
            await node.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            node.Kill(entireProcessTree: true);
            throw;
        }

        await Task.WhenAll(stdout, stderr);
        return (node.ExitCode, output.ToString());
    }

    private static async Task PumpAsync(StreamReader reader, StringBuilder output)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, program))
            .FirstOrDefault(File.Exists);

    /// <summary>Counts <c>sluice.runs.cancelled</c> with cause <c>deleted</c> (stop, like DELETE) from the gateway's meter.</summary>
    private sealed class CancelledRunsListener : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _deleted;

        public CancelledRunsListener(IMeterFactory gatewayMeters)
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                // This gateway's meter only: other hosts in the same test process publish the same names.
                if (instrument.Meter.Name == "Sluice" && ReferenceEquals(instrument.Meter.Scope, gatewayMeters) && instrument.Name == "sluice.runs.cancelled")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                foreach (var tag in tags)
                {
                    if (tag is { Key: "cause", Value: "deleted" })
                    {
                        Interlocked.Add(ref _deleted, value);
                    }
                }
            });
            _listener.Start();
        }

        public long Deleted => Interlocked.Read(ref _deleted);

        public void Dispose() => _listener.Dispose();
    }
}
