using System.Globalization;
using Sluice.Protocol;
using Sluice.ReplayLog;

namespace Sluice.Benchmarks;

/// <summary>
/// Measures the memory the in-memory replay log keeps per finished run (<c>--memory-per-run</c>): a typical run of
/// a start, 300 four-character tokens and done, over 1000 runs, as <see cref="GC.GetTotalMemory(bool)"/> after a
/// full collection before and after.
/// </summary>
/// <remarks>
/// Two numbers: everything a finished run keeps alive (the log's structures, the event objects and their strings),
/// and the log's own structures only (the events are built before the first measurement, so only the rings, the
/// per-stream state and the dictionary entries are counted). Stream ids are built beforehand and not counted: the
/// gateway holds them anyway.
/// </remarks>
internal static class ReplayLogMemoryPerRun
{
    private const int Runs = 1000;
    private const int Tokens = 300;

    public static void Run()
    {
        var ids = Enumerable.Range(0, Runs).Select(i => "run-" + i.ToString("D18", CultureInfo.InvariantCulture)).ToArray();

        // Warm up so that JIT and type loading happen before the first measurement.
        Fill(new InMemoryReplayLog(ReplayLogOptions.Default), ids[..10], BuildRuns(ids[..10]));

        var perRunTotal = MeasureEverything(ids);
        var perRunLog = MeasureLogOnly(ids);

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"""
            Memory held per finished run ({Runs} runs of start + {Tokens} 4-char tokens + done, default ReplayLogOptions):
              everything the run keeps (log + events + strings): {perRunTotal,10:N0} bytes/run ({perRunTotal / (Tokens + 2),5:N1} bytes/event)
              the log's own structures only:                     {perRunLog,10:N0} bytes/run ({perRunLog / (Tokens + 2),5:N1} bytes/event)
            """));
    }

    // Events are built between the two measurements: everything they hold is charged to the runs.
    private static double MeasureEverything(string[] ids)
    {
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var log = new InMemoryReplayLog(ReplayLogOptions.Default);

        // One run's events at a time: a temporary holding all of them could stay reachable until the method returns
        // (unoptimized tier-0 code keeps temporaries alive) and be counted as held by the log.
        for (var run = 0; run < ids.Length; run++)
        {
            Fill(log, ids[run..(run + 1)], BuildRuns(ids[run..(run + 1)]));
        }

        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(log);
        return (after - before) / (double)Runs;
    }

    // Events are built (and kept) before the first measurement: only the log's own structures are charged.
    private static double MeasureLogOnly(string[] ids)
    {
        var events = BuildRuns(ids);
        var before = GC.GetTotalMemory(forceFullCollection: true);
        var log = new InMemoryReplayLog(ReplayLogOptions.Default);
        Fill(log, ids, events);
        var after = GC.GetTotalMemory(forceFullCollection: true);
        GC.KeepAlive(log);
        GC.KeepAlive(events);
        return (after - before) / (double)Runs;
    }

    private static SequencedEvent[][] BuildRuns(string[] ids)
    {
        var runs = new SequencedEvent[ids.Length][];
        for (var run = 0; run < ids.Length; run++)
        {
            var events = new SequencedEvent[Tokens + 2];
            events[0] = new SequencedEvent(0, new StartEvent(ids[run], "sluice-simulated-1"));
            for (var seq = 1; seq <= Tokens; seq++)
            {
                // A new 4-character string per token, as a provider's decoder makes them.
                events[seq] = new SequencedEvent(seq, new TokenEvent(" t" + (seq % 100).ToString("D2", CultureInfo.InvariantCulture)));
            }

            events[Tokens + 1] = new SequencedEvent(Tokens + 1, new DoneEvent(FinishReason.Stop, new Usage(12, Tokens)));
            runs[run] = events;
        }

        return runs;
    }

    private static void Fill(InMemoryReplayLog log, string[] ids, SequencedEvent[][] runs)
    {
        for (var run = 0; run < ids.Length; run++)
        {
            // The in-memory log completes every call synchronously; a faulted task here is a bug worth crashing on.
            Check(log.CreateAsync(ids[run]));
            foreach (var evt in runs[run])
            {
                Check(log.AppendAsync(ids[run], evt));
            }
        }
    }

    private static void Check(ValueTask task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            throw new InvalidOperationException("The in-memory replay log did not complete synchronously.");
        }
    }
}
