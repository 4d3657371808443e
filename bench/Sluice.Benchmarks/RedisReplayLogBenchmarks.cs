using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Protocol;
using Sluice.ReplayLog;
using StackExchange.Redis;

namespace Sluice.Benchmarks;

/// <summary>
/// The Redis replay log's cost per appended event, and its Redis round trips per appended event.
/// </summary>
/// <remarks>
/// <para>
/// Each case starts its own <c>redis-server</c> (Debian package <c>redis-server</c>; <c>SLUICE_REDIS_SERVER</c> names
/// another binary) on a free loopback port without persistence, and the log through the public registration
/// (<c>AddSluiceRedisReplayLog</c>, default options). An invocation appends <see cref="Runs"/> runs of
/// <see cref="EventsPerRun"/> events (a <c>start</c>, 4-character tokens, <c>done</c>; the size of a typical
/// answer), <see cref="Streams"/> runs at a time, each awaiting every append in turn as the gateway's run does. A run
/// is created before and removed after, and its terminal append waits until the run is in Redis, so the time covers
/// the writes, not only the queueing. Time and allocations are per event.
/// </para>
/// <para>
/// Round trips are Redis's own count (<c>INFO commandstats</c>, over an admin connection of the benchmark's): every
/// EVAL/EVALSHA the log sent, divided by the events appended, printed when the case ends (including create and
/// remove: two script calls per run). <see cref="PrintPacedRoundTrips"/> then measures a producer slower than a round
/// trip (one event every 2 ms on each of 1 and 64 streams): how long each append call takes, and the round trips.
/// </para>
/// </remarks>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "VSTHRD200:Use \"Async\" suffix for async methods", Justification = "Benchmark rows are named after the methods.")]
public class RedisReplayLogBenchmarks
{
    /// <summary>Events in one run.</summary>
    public const int EventsPerRun = 300;

    /// <summary>Runs per invocation (a multiple of every <see cref="Streams"/>).</summary>
    public const int Runs = 64;

    private SequencedEvent[] _events = [];
    private Process? _redis;
    private string? _directory;
    private string _endpoint = string.Empty;
    private ServiceProvider? _services;
    private IReplayLog _log = null!;
    private ConnectionMultiplexer? _admin;
    private long _appended;
    private long _scriptsBefore;
    private long _invocations;

    /// <summary>How many runs append at the same time.</summary>
    [Params(1, 16, 64)]
    public int Streams { get; set; }

    /// <summary>Starts redis-server and the log, and builds the events.</summary>
    /// <returns>A task that completes when Redis answers.</returns>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _events = new SequencedEvent[EventsPerRun];
        _events[0] = new SequencedEvent(0, new StartEvent("bench", "sluice-simulated-1"));
        for (var seq = 1; seq < EventsPerRun - 1; seq++)
        {
            _events[seq] = new SequencedEvent(seq, new TokenEvent(" t" + (seq % 100).ToString("D2", CultureInfo.InvariantCulture)));
        }

        _events[^1] = new SequencedEvent(EventsPerRun - 1, new DoneEvent(FinishReason.Stop, new Usage(10, EventsPerRun - 2)));

        await StartRedisAsync();
        _services = new ServiceCollection().AddSluiceRedisReplayLog(_endpoint).BuildServiceProvider();
        _log = _services.GetRequiredService<IReplayLog>();
        _admin = await ConnectionMultiplexer.ConnectAsync(_endpoint + ",allowAdmin=true");
        _scriptsBefore = await ScriptCallsAsync();
    }

    /// <summary>Appends <see cref="Runs"/> runs, <see cref="Streams"/> at a time.</summary>
    /// <returns>A task that completes when every run is written and removed.</returns>
    [Benchmark(OperationsPerInvoke = Runs * EventsPerRun)]
    public async Task Append()
    {
        var invocation = Interlocked.Increment(ref _invocations);
        for (var wave = 0; wave < Runs / Streams; wave++)
        {
            var runs = new Task[Streams];
            for (var i = 0; i < Streams; i++)
            {
                runs[i] = AppendRunAsync(string.Create(CultureInfo.InvariantCulture, $"run-{invocation}-{wave}-{i}"));
            }

            await Task.WhenAll(runs);
        }
    }

    /// <summary>Prints the round trips of the benchmark, measures the paced producers, and stops Redis.</summary>
    /// <returns>A task that completes when Redis is stopped.</returns>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        var scripts = await ScriptCallsAsync() - _scriptsBefore;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// Redis round trips, Streams={Streams}, back to back: {_appended} events, {scripts} script calls = {(double)scripts / _appended:F4} per event (create and remove included)"));
        if (Streams == 1)
        {
            await PrintPacedRoundTrips(1);
            await PrintPacedRoundTrips(64);
        }

        await _admin!.DisposeAsync();
        await _services!.DisposeAsync();
        if (_redis is not null)
        {
            _redis.Kill();
            await _redis.WaitForExitAsync();
            _redis.Dispose();
        }

        Directory.Delete(_directory!, recursive: true);
    }

    /// <summary>
    /// <paramref name="streams"/> producers append one event every 2 ms each (slower than a round trip, so nothing
    /// batches): the time of each append call, and the script calls per event.
    /// </summary>
    private async Task PrintPacedRoundTrips(int streams)
    {
        const int Events = 250;
        var before = await ScriptCallsAsync();
        var latencies = new List<double>[streams];
        await Task.WhenAll(Enumerable.Range(0, streams).Select(async i =>
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"paced-{streams}-{i}");
            latencies[i] = new List<double>(Events);
            await _log.CreateAsync(id);
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(2));
            for (var seq = 0; seq < Events; seq++)
            {
                await timer.WaitForNextTickAsync();
                StreamEvent evt = seq == 0 ? new StartEvent(id, "m") : seq == Events - 1 ? new DoneEvent(FinishReason.Stop, Usage.Zero) : new TokenEvent(" tok");
                var clock = Stopwatch.GetTimestamp();
                await _log.AppendAsync(id, new SequencedEvent(seq, evt));
                if (seq < Events - 1)
                {
                    latencies[i].Add(Stopwatch.GetElapsedTime(clock).TotalMicroseconds);
                }
            }

            await _log.RemoveAsync(id);
        }));

        var scripts = await ScriptCallsAsync() - before;
        var sorted = latencies.SelectMany(l => l).Order().ToArray();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// Redis round trips, {streams} paced stream(s), one event per 2 ms each: {streams * Events} events, {scripts} script calls = {(double)scripts / (streams * Events):F3} per event (create and remove included); AppendAsync (non-terminal) mean {sorted.Average():F1} µs, p50 {sorted[sorted.Length / 2]:F1} µs, p99 {sorted[(int)(sorted.Length * 0.99)]:F1} µs"));
    }

    private async Task AppendRunAsync(string id)
    {
        await _log.CreateAsync(id);
        foreach (var evt in _events)
        {
            await _log.AppendAsync(id, evt);
        }

        await _log.RemoveAsync(id);
        Interlocked.Add(ref _appended, _events.Length);
    }

    private async Task<long> ScriptCallsAsync()
    {
        var info = (await _admin!.GetServer(_endpoint).InfoAsync("commandstats")).SelectMany(group => group);
        return info.Where(p => p.Key is "cmdstat_eval" or "cmdstat_evalsha")
            .Sum(p => long.Parse(p.Value.Split(',')[0]["calls=".Length..], CultureInfo.InvariantCulture));
    }

    private async Task StartRedisAsync()
    {
        var executable = Environment.GetEnvironmentVariable("SLUICE_REDIS_SERVER") is { Length: > 0 } configured ? configured : "/usr/bin/redis-server";
        if (!File.Exists(executable))
        {
            throw new InvalidOperationException($"{executable} is not there: install Debian's redis-server, or set SLUICE_REDIS_SERVER.");
        }

        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        _directory = Directory.CreateTempSubdirectory("sluice-bench-redis-").FullName;
        _endpoint = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{port}");
        var info = new ProcessStartInfo(executable) { UseShellExecute = false };
        foreach (var argument in new[]
        {
            "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no",
            "--dir", _directory, "--logfile", Path.Combine(_directory, "redis.log"),
        })
        {
            info.ArgumentList.Add(argument);
        }

        _redis = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start.");
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < TimeSpan.FromSeconds(15) && !_redis.HasExited)
            {
                await Task.Delay(20); // polling until it listens, bounded by the deadline
            }
        }
    }
}
