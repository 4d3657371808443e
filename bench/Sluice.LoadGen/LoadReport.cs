using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sluice.LoadGen;

/// <summary>The figures of one run.</summary>
internal sealed record LoadReport
{
    public required string Label { get; init; }

    public required int Concurrency { get; init; }

    public required int Streams { get; init; }

    public required int Complete { get; init; }

    public required int Incomplete { get; init; }

    public required int Failed { get; init; }

    public required int Mismatched { get; init; }

    public required double TimeToFirstEventP50Ms { get; init; }

    public required double TimeToFirstEventP99Ms { get; init; }

    public required double GapP50Ms { get; init; }

    public required double GapP99Ms { get; init; }

    public required double GapMaxMs { get; init; }

    public required long Events { get; init; }

    public required double EventsPerSecond { get; init; }

    public required double BytesPerSecond { get; init; }

    public required double Seconds { get; init; }

    public required double ClientCpuMicrosecondsPerEvent { get; init; }

    public double? ServerCpuMicrosecondsPerEvent { get; init; }

    public double? ServerPeakResidentMegabytes { get; init; }

    /// <summary>
    /// (Peak RSS during the run − RSS before it) ÷ concurrency: what one open stream costs the server, GC headroom
    /// included. Meaningful when every stream is open at once (streams = concurrency, long enough to overlap).
    /// </summary>
    public double? ServerKilobytesPerOpenStream { get; init; }

    public required long Frames { get; init; }

    public IReadOnlyDictionary<string, int> Failures { get; init; } = new Dictionary<string, int>();

    public static LoadReport From(LoadOptions options, IReadOnlyList<StreamOutcome> outcomes, TimeSpan elapsed, TimeSpan clientCpu, TimeSpan? serverCpu, long? serverPeakBytes, long? serverBaselineBytes)
    {
        // Every stream of a run asks the same thing, so they must all say the same thing: the first complete text is
        // the reference (the simulated model is deterministic per prompt).
        var reference = outcomes.FirstOrDefault(o => o.Failure is null && o.Terminal)?.Text;
        var failed = outcomes.Count(o => o.Failure is not null);
        var incomplete = outcomes.Count(o => o.Failure is null && !o.Terminal);
        var mismatched = outcomes.Count(o => o.Failure is null && o.Terminal && o.Text != reference);
        var events = outcomes.Sum(o => (long)o.Events);
        var ttfe = outcomes.Where(o => o.TimeToFirstEvent >= 0).Select(o => o.TimeToFirstEvent).Order().ToArray();
        var gaps = outcomes.SelectMany(o => o.Gaps).Order().ToArray();
        return new LoadReport
        {
            Label = options.Label,
            Concurrency = options.Concurrency,
            Streams = outcomes.Count,
            Complete = outcomes.Count - failed - incomplete - mismatched,
            Incomplete = incomplete,
            Failed = failed,
            Mismatched = mismatched,
            TimeToFirstEventP50Ms = Milliseconds(Percentile(ttfe, 0.50)),
            TimeToFirstEventP99Ms = Milliseconds(Percentile(ttfe, 0.99)),
            GapP50Ms = Milliseconds(Percentile(gaps, 0.50)),
            GapP99Ms = Milliseconds(Percentile(gaps, 0.99)),
            GapMaxMs = Milliseconds(gaps.Length == 0 ? 0 : gaps[^1]),
            Events = events,
            EventsPerSecond = events / elapsed.TotalSeconds,
            BytesPerSecond = outcomes.Sum(o => o.Bytes) / elapsed.TotalSeconds,
            Seconds = elapsed.TotalSeconds,
            ClientCpuMicrosecondsPerEvent = events == 0 ? 0 : clientCpu.TotalMicroseconds / events,
            ServerCpuMicrosecondsPerEvent = serverCpu is { } cpu && events > 0 ? cpu.TotalMicroseconds / events : null,
            ServerPeakResidentMegabytes = serverPeakBytes / (1024.0 * 1024.0),
            ServerKilobytesPerOpenStream = (serverPeakBytes - serverBaselineBytes) / 1024.0 / options.Concurrency,
            Frames = outcomes.Sum(o => (long)o.Frames),
            Failures = outcomes.Where(o => o.Failure is not null).GroupBy(o => o.Failure!).ToDictionary(g => g.Key, g => g.Count()),
        };
    }

    public string ToText()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"{Label} concurrency={Concurrency} streams={Streams} in {Seconds:F1} s");
        text.AppendLine(c, $"  complete {Complete}, incomplete {Incomplete}, failed {Failed}, wrong text {Mismatched}");
        text.AppendLine(c, $"  time to first event  p50 {TimeToFirstEventP50Ms:F1} ms  p99 {TimeToFirstEventP99Ms:F1} ms");
        text.AppendLine(c, $"  inter-event gap      p50 {GapP50Ms:F2} ms  p99 {GapP99Ms:F2} ms  max {GapMaxMs:F1} ms");
        text.AppendLine(c, $"  {EventsPerSecond:F0} events/s, {BytesPerSecond / 1024:F0} KiB/s, {Events} events in {Frames} frames");
        text.Append(c, $"  CPU per event: load generator {ClientCpuMicrosecondsPerEvent:F2} µs");
        if (ServerCpuMicrosecondsPerEvent is { } server)
        {
            text.Append(c, $", server {server:F2} µs; server peak RSS {ServerPeakResidentMegabytes:F0} MiB ({ServerKilobytesPerOpenStream:F1} KiB per open stream over the start)");
        }

        text.AppendLine();
        foreach (var (failure, count) in Failures)
        {
            text.AppendLine(c, $"  failure: {failure} × {count}");
        }

        return text.ToString();
    }

    public string ToJson() => JsonSerializer.Serialize(this);

    private static long Percentile(long[] sorted, double quantile) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
