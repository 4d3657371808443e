using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sluice.Protocol;
using Sluice.ReplayLog;

namespace Sluice.Benchmarks;

/// <summary>
/// Resuming a finished run of <see cref="N"/> events over real HTTP (Kestrel on loopback, one reused
/// <see cref="HttpClient"/>): the time from sending <c>GET /v1/streams/{id}</c> with <c>Last-Event-ID: 0</c> to
/// receiving the first replayed event, and the time to receive the whole replay.
/// </summary>
/// <remarks>
/// <para>
/// Only the public API is used: <c>AddSluice()</c>, <c>MapSluice()</c>, <c>AddSluiceInMemoryReplayLog()</c> and an
/// <see cref="IStreamSource"/> (<see cref="FastSource"/>: N - 2 four-character tokens then <c>done</c>, no delays;
/// the run writes <c>start</c> itself, so the run is seq 0 to N - 1). The log is sized so that nothing is evicted
/// (20 000 events, 64 MiB): the replay is the held events, never a snapshot.
/// </para>
/// <para>
/// Client and server share the machine, so both sides' CPU is in the figures. <see cref="ResumeToFirstEvent"/>
/// disposes the response before the body ends, which aborts the connection (the handler is told not to drain it):
/// every invocation therefore also pays for a new loopback TCP connection, and the server's abandoned replay winds
/// down concurrently.
/// </para>
/// <para>
/// [MemoryDiagnoser] counts allocations of the benchmark process only, i.e. the client (HttpClient, headers, the
/// connection) plus whatever the in-process server allocates on the thread pool: the two are mixed, and the
/// client-side allocations dominate, so the Allocated column is not the gateway's cost per resume.
/// </para>
/// </remarks>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "VSTHRD200:Use \"Async\" suffix for async methods", Justification = "Benchmark rows are named after the methods.")]
public class ResumeLatencyBenchmarks
{
    private const string RequestBody = """{"messages":[{"role":"user","content":"hi"}]}""";

    private readonly byte[] _buffer = new byte[16 * 1024];
    private WebApplication? _app;
    private HttpClient? _client;
    private Uri _location = null!;
    private string _resumeToken = string.Empty;

    /// <summary>Events in the finished run (start + N - 2 tokens + done).</summary>
    [Params(1_000, 10_000)]
    public int N { get; set; }

    /// <summary>Starts the gateway, runs one stream to the end and checks that a resume replays it.</summary>
    /// <returns>A task that completes when the run is finished and checked.</returns>
    /// <exception cref="InvalidOperationException">The run or its replay is not what was expected.</exception>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<IStreamSource>(new FastSource(N));
        builder.Services.AddSluiceInMemoryReplayLog(new ReplayLogOptions { MaxEventsPerStream = 20_000, MaxBytesPerStream = 64 * 1024 * 1024 });
        builder.Services.AddSluice();
        _app = builder.Build();
        _app.MapSluice();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        // MaxResponseDrainSize = 0: by default SocketsHttpHandler, when a response is disposed before its end, reads
        // the rest (up to 1 MiB) in the background to reuse the connection. Here that would replay the whole run
        // after every ResumeToFirstEvent, overlapping the next invocation: it would measure the full replay, not the
        // first event. With 0 the dispose really aborts the connection.
        _client = new HttpClient(new SocketsHttpHandler { UseProxy = false, AutomaticDecompression = DecompressionMethods.None, MaxResponseDrainSize = 0 })
        {
            BaseAddress = new Uri(address),
            Timeout = TimeSpan.FromMinutes(1),
        };

        // Start the run and read it to the end: the run is finished before the first measurement.
        using (var content = new StringContent(RequestBody, Encoding.UTF8, "application/json"))
        using (var started = await _client.PostAsync(new Uri("/v1/streams", UriKind.Relative), content))
        {
            started.EnsureSuccessStatusCode();
            var body = await started.Content.ReadAsStringAsync();
            if (!body.Contains("event: done", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("The POST response did not end with done.");
            }

            _location = started.Headers.Location ?? throw new InvalidOperationException("No Location header.");
            _resumeToken = started.Headers.TryGetValues(SluiceHeaders.ResumeToken, out var tokens)
                ? tokens.Single()
                : throw new InvalidOperationException("No resume token header.");
        }

        await VerifyReplayAsync();
    }

    /// <summary>Stops the gateway.</summary>
    /// <returns>A task that completes when the host has stopped.</returns>
    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        _client?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }

    /// <summary>GET with <c>Last-Event-ID: 0</c>, read until the first whole frame (the first blank line) has arrived, then abort.</summary>
    /// <returns>The bytes received up to and including the first frame's end.</returns>
    [Benchmark]
    public async Task<int> ResumeToFirstEvent()
    {
        // Disposing the response on return, before its end, aborts the connection (the server's replay is abandoned).
        using var response = await SendResumeAsync();
        var body = await response.Content.ReadAsStreamAsync();
        var received = 0;
        var lastWasNewline = false;
        while (true)
        {
            var read = await body.ReadAsync(_buffer);
            if (read == 0)
            {
                throw new InvalidOperationException("The replay ended before its first frame.");
            }

            // A frame ends at "\n\n", which may straddle two reads.
            var chunk = _buffer.AsSpan(0, read);
            var end = lastWasNewline && chunk[0] == (byte)'\n' ? 0 : chunk.IndexOf("\n\n"u8);
            if (end >= 0)
            {
                return received + end + (lastWasNewline && end == 0 ? 1 : 2);
            }

            received += read;
            lastWasNewline = chunk[^1] == (byte)'\n';
        }
    }

    /// <summary>GET with <c>Last-Event-ID: 0</c> and read the whole replay (N - 1 events) to the end.</summary>
    /// <returns>The bytes received.</returns>
    [Benchmark]
    public async Task<long> ResumeAndReadAll()
    {
        using var response = await SendResumeAsync();
        var body = await response.Content.ReadAsStreamAsync();
        long received = 0;
        int read;
        while ((read = await body.ReadAsync(_buffer)) > 0)
        {
            received += read;
        }

        return received;
    }

    private async Task<HttpResponseMessage> SendResumeAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, _location);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _resumeToken);
        request.Headers.TryAddWithoutValidation(SluiceHeaders.LastEventId, "0");
        var response = await _client!.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            response.Dispose();
            throw new InvalidOperationException($"Resume returned {(int)response.StatusCode}; has the run's retention ended?");
        }

        return response;
    }

    // The replay must be events 1 to N - 1, ending with done: otherwise the benchmark would time something else.
    private async Task VerifyReplayAsync()
    {
        using var response = await SendResumeAsync();
        await using var body = await response.Content.ReadAsStreamAsync();
        var items = new List<SseItem<string>>();
        await foreach (var item in SseParser.Create(body).EnumerateAsync())
        {
            items.Add(item);
        }

        if (items.Count != N - 1
            || items[0].EventId != "1"
            || items[^1].EventType != "done"
            || items[^1].EventId != (N - 1).ToString(CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException(
                $"The replay is not events 1..{N - 1}: {items.Count} events, first id {items.FirstOrDefault().EventId}, last {items.LastOrDefault().EventType}.");
        }
    }

    /// <summary>A provider with no delays: N - 2 four-character tokens, then done.</summary>
    private sealed class FastSource(int n) : IStreamSource
    {
        private readonly StreamEvent[] _events = Build(n);

        public string DefaultModel => "bench-fast";

        public async IAsyncEnumerable<StreamEvent> StreamAsync(StreamRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var evt in _events)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return evt;
            }

            await Task.CompletedTask;
        }

        private static StreamEvent[] Build(int n)
        {
            var events = new StreamEvent[n - 1];
            for (var i = 0; i < n - 2; i++)
            {
                events[i] = new TokenEvent(" t" + (i % 100).ToString("D2", CultureInfo.InvariantCulture));
            }

            events[^1] = new DoneEvent(FinishReason.Stop, new Usage(1, n - 2));
            return events;
        }
    }
}
