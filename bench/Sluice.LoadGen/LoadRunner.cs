using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Text;
using Sluice.Protocol;

namespace Sluice.LoadGen;

/// <summary>Runs the streams: at most <see cref="LoadOptions.Concurrency"/> at once, each read to its end.</summary>
internal sealed class LoadRunner(LoadOptions options, ProcessSampler? server)
{
    private readonly ConcurrentBag<StreamOutcome> _outcomes = [];
    private int _started;

    public async Task<LoadReport> RunAsync(CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
        };
        using var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var serverCpuBefore = server?.CpuTime() ?? TimeSpan.Zero;
        var clientCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        server?.SampleMemory();
        var serverBaselineBytes = server?.LastResidentBytes;
        var clock = Stopwatch.StartNew();
        using var stopStarting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stopStarting.CancelAfter(options.Duration);
        using var sampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var sampler = SampleAsync(sampling.Token);

        var workers = Enumerable.Range(0, options.Concurrency).Select(_ => WorkAsync(client, stopStarting.Token, cancellationToken)).ToArray();
        await Task.WhenAll(workers);
        clock.Stop();
        await sampling.CancelAsync();
        await sampler;

        return LoadReport.From(
            options,
            [.. _outcomes],
            clock.Elapsed,
            Process.GetCurrentProcess().TotalProcessorTime - clientCpuBefore,
            server is null ? null : server.CpuTime() - serverCpuBefore,
            server?.PeakResidentBytes,
            serverBaselineBytes);
    }

    private async Task WorkAsync(HttpClient client, CancellationToken stopStarting, CancellationToken cancellationToken)
    {
        while (!stopStarting.IsCancellationRequested && Interlocked.Increment(ref _started) <= options.Streams)
        {
            _outcomes.Add(await RunOneAsync(client, cancellationToken));
        }
    }

    private async Task<StreamOutcome> RunOneAsync(HttpClient client, CancellationToken cancellationToken)
    {
        var outcome = new StreamOutcome();
        var text = new StringBuilder();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.StreamTimeout);
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(options.Method, options.Url);
            if (options.Method == HttpMethod.Post)
            {
                request.Content = new StringContent(options.RequestBody, Encoding.UTF8, "application/json");
            }

            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                outcome.Failure = $"HTTP {(int)response.StatusCode}";
                return outcome;
            }

            await using var body = new CountingStream(await response.Content.ReadAsStreamAsync(timeout.Token));
            var previous = start;
            var parser = SseParser.Create(body, static (type, data) => Parse(type, data));
            await foreach (var item in parser.EnumerateAsync(timeout.Token))
            {
                var now = Stopwatch.GetTimestamp();
                if (outcome.Frames == 0)
                {
                    outcome.TimeToFirstEvent = now - start;
                }
                else
                {
                    outcome.Gaps.Add(now - previous);
                }

                previous = now;
                outcome.Frames++;
                outcome.Events += item.Data is { } evt && evt.Seq >= 0 ? (int)(evt.Seq - evt.FirstSeq + 1) : 1;
                switch (item.Data)
                {
                    case { Event: TokenEvent token }:
                        text.Append(token.Content);
                        break;
                    case { Event.IsTerminal: true }:
                        outcome.Terminal = true;
                        break;
                    case null when item.EventType is "done" or "error" or "finish":
                        outcome.Terminal = true;
                        break;
                }
            }

            outcome.Bytes = body.BytesRead;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            outcome.Failure = "timed out";
        }
        catch (HttpRequestException ex)
        {
            outcome.Failure = ex.HttpRequestError.ToString();
        }
        catch (IOException ex)
        {
            outcome.Failure = "connection: " + ex.Message;
        }

        outcome.Text = text.ToString();
        return outcome;
    }

    // Sluice frames become events; anything else (another dialect, [DONE]) is counted by its frame alone.
    private static SequencedEvent? Parse(string type, ReadOnlySpan<byte> data)
    {
        if (data.SequenceEqual("[DONE]"u8))
        {
            return new SequencedEvent(-1, new DoneEvent(FinishReason.Stop, Usage.Zero));
        }

        try
        {
            return StreamEventParser.Parse(data);
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    private async Task SampleAsync(CancellationToken cancellationToken)
    {
        if (server is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            do
            {
                server.SampleMemory();
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException)
        {
            // The run is over.
        }
    }
}
