using BenchmarkDotNet.Attributes;
using Sluice.Protocol;
using Sluice.ReplayLog;

namespace Sluice.Benchmarks;

/// <summary>
/// The cost per event of the in-memory replay log: appending a run's token events, and reading a whole run back.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="N"/> is the length of a run. Every invocation handles <see cref="EventsPerInvoke"/> events (10 000 / N
/// runs of N events) and declares <c>OperationsPerInvoke = EventsPerInvoke</c>, so the reported time and allocated
/// bytes are per event whatever N is (BenchmarkDotNet's OperationsPerInvoke must be a constant).
/// </para>
/// <para>
/// Events are built once in setup (a <c>start</c>, then 4-character tokens, then <c>done</c>): their own allocation
/// is the provider's, not the log's, so it is not charged here.
/// </para>
/// </remarks>
[MemoryDiagnoser]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Usage", "VSTHRD200:Use \"Async\" suffix for async methods", Justification = "Benchmark rows are named after the methods: Append and ReadAll.")]
public class ReplayLogBenchmarks
{
    /// <summary>Events handled per invocation: a multiple of every <see cref="N"/>.</summary>
    public const int EventsPerInvoke = 10_000;

    private const string StreamId = "bench-stream";

    private readonly SequencedEvent[] _page = new SequencedEvent[256];
    private SequencedEvent[] _events = [];
    private InMemoryReplayLog _appendLog = null!;
    private InMemoryReplayLog _readLog = null!;

    /// <summary>Events per run. At 10 000 the default bound (4096 events) evicts, so <see cref="Append"/> also pays for compaction.</summary>
    [Params(1_000, 10_000)]
    public int N { get; set; }

    /// <summary>Builds the events, and a log holding one whole run for <see cref="ReadAll"/>.</summary>
    /// <returns>A task that completes when the read log is filled and checked.</returns>
    /// <exception cref="InvalidOperationException">Reading the run back did not give every event.</exception>
    [GlobalSetup]
    public async Task SetupAsync()
    {
        _events = new SequencedEvent[N];
        _events[0] = new SequencedEvent(0, new StartEvent(StreamId, "sluice-simulated-1"));
        for (var seq = 1; seq < N - 1; seq++)
        {
            _events[seq] = new SequencedEvent(seq, new TokenEvent(" t" + (seq % 100).ToString("D2", System.Globalization.CultureInfo.InvariantCulture)));
        }

        _events[N - 1] = new SequencedEvent(N - 1, new DoneEvent(FinishReason.Stop, new Usage(10, N - 2)));

        // Appends use the default bounds, as the gateway does.
        _appendLog = new InMemoryReplayLog(ReplayLogOptions.Default);

        // Reads measure copying held events, so the read log holds the whole run: nothing evicted, no snapshot.
        _readLog = new InMemoryReplayLog(new ReplayLogOptions { MaxEventsPerStream = N, MaxBytesPerStream = long.MaxValue });
        await _readLog.CreateAsync(StreamId);
        foreach (var evt in _events)
        {
            await _readLog.AppendAsync(StreamId, evt);
        }

        if (await ReadAll() != EventsPerInvoke)
        {
            throw new InvalidOperationException("ReadAll did not read every event of the run.");
        }
    }

    /// <summary>Appends whole runs: create the stream, append its N events, remove it.</summary>
    /// <returns>A task that completes (synchronously) when every run has been appended.</returns>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public async Task Append()
    {
        for (var run = EventsPerInvoke / N; run > 0; run--)
        {
            await _appendLog.CreateAsync(StreamId);
            foreach (var evt in _events)
            {
                await _appendLog.AppendAsync(StreamId, evt);
            }

            await _appendLog.RemoveAsync(StreamId);
        }
    }

    /// <summary>Reads the whole run from the start (-1) into a reused 256-event page, as a late subscriber does.</summary>
    /// <returns>How many events were read (EventsPerInvoke).</returns>
    [Benchmark(OperationsPerInvoke = EventsPerInvoke)]
    public async Task<long> ReadAll()
    {
        long total = 0;
        for (var run = EventsPerInvoke / N; run > 0; run--)
        {
            var cursor = -1L;
            while (true)
            {
                var result = await _readLog.ReadAsync(StreamId, cursor, _page);
                if (result.Count == 0)
                {
                    break;
                }

                cursor = _page[result.Count - 1].Seq;
                total += result.Count;
            }
        }

        return total;
    }
}
