using System.Diagnostics;
using System.Globalization;
using Markdig;
using Markdig.Syntax;
using Sluice.Markdown;

namespace Sluice.Benchmarks.Markdown;

/// <summary>
/// <c>--corpus DIR</c>: streams every <c>.md</c> answer in DIR through the progressive renderer and prints, per
/// document and in total, what must not happen (final HTML differing from a whole-document render, a settled block
/// changing, an opened fence shown as text, an executable vector) and the retracted text; then the time of the
/// incremental renderer against the naive whole-text render, and the per-delta cost at the start and at the end of the
/// longest document and of all documents one after another.
/// </summary>
internal static class MarkdownCorpusCheck
{
    private const int Seed = 1;

    public static void Run(string directory)
    {
        var files = Directory.EnumerateFiles(directory, "*.md").Order(StringComparer.Ordinal).ToList();
        var pipeline = new MarkdownPipelineBuilder().UseSluiceMarkdown().Build();
        var naivePipeline = new MarkdownPipelineBuilder().UseSluiceMarkdown(new ProgressiveMarkdownOptions { HighlightCode = false }).Build();
        var total = new Counts();
        Console.WriteLine("document                               bytes  deltas  mismatch  settled  fence  exec  retracted");
        foreach (var file in files)
        {
            var text = File.ReadAllText(file);
            var counts = Check(text, pipeline);
            total.Add(counts);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(file),-36} {text.Length,8} {counts.Steps,7} {counts.Mismatches,9} {counts.SettledChanges,8} {counts.FenceAsText,6} {counts.Executable,5} {counts.Retracted,10}"));
        }

        var documents = files.Select(File.ReadAllText).ToList();
        var incrementalMs = 0.0;
        var naiveMs = 0.0;
        foreach (var text in documents)
        {
            // Timed after a first, untimed pass: JIT and ColorCode's regex compilation are paid once per process.
            var deltas = MarkdownDocuments.Deltas(text, 3, 6, Seed);
            StreamIncremental(text, deltas, samples: null);
            StreamNaive(text, deltas, naivePipeline);
            incrementalMs += Time(() => StreamIncremental(text, deltas, samples: null));
            naiveMs += Time(() => StreamNaive(text, deltas, naivePipeline));
        }

        Console.WriteLine();
        if (documents.Count > 0)
        {
            var longest = documents.MaxBy(d => d.Length)!;
            ReportPerDelta("longest document", longest);
            ReportPerDelta("50 KB answer (the documents one after another, as in MarkdownStreamBenchmarks)", MarkdownDocuments.OfSize(documents, 50 * 1024));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"documents={files.Count} final-html-mismatches={total.Mismatches} settled-changes={total.SettledChanges} fence-as-text={total.FenceAsText} executable={total.Executable} retracted-chars={total.Retracted} incremental-ms={incrementalMs:F1} naive-ms={naiveMs:F1}"));
    }

    // Streams in seeded random 1–8 character deltas (as the tests do), rebuilding the screen from the updates alone.
    private static Counts Check(string text, MarkdownPipeline pipeline)
    {
        var document = Markdig.Markdown.Parse(text, pipeline);
        var fenceLineEnds = document.Descendants<FencedCodeBlock>().Select(b => text.IndexOf('\n', b.Span.Start)).Where(e => e >= 0).ToList();
        var counts = new Counts();
        var screen = new List<(string Html, string Text, bool Settled, int Code)>();
        var renderer = new ProgressiveMarkdownRenderer();
        var position = 0;
        foreach (var length in MarkdownDocuments.Deltas(text, 1, 8, Seed))
        {
            position += length;
            Apply(renderer.Append(text.AsSpan(position - length, length)), position);
        }

        Apply(renderer.Complete(), int.MaxValue);
        counts.Mismatches = string.Concat(screen.Select(s => s.Html)) == Markdig.Markdown.ToHtml(text, pipeline) ? 0 : 1;
        return counts;

        void Apply(MarkdownUpdate update, int at)
        {
            counts.Steps++;
            var touched = update.Removed.Concat(update.Changed.Concat(update.Added).Select(b => b.Key)).DefaultIfEmpty(int.MaxValue).Min();
            var before = touched < screen.Count ? string.Join(" ", screen.Skip(touched).Select(s => s.Text)) : "";
            foreach (var key in update.Removed.OrderDescending())
            {
                counts.SettledChanges += screen[key].Settled ? 1 : 0;
                screen.RemoveAt(key);
            }

            foreach (var block in update.Changed.Concat(update.Added))
            {
                counts.Executable += HtmlScan.CountExecutable(block.Html);
                var shown = (block.Html, HtmlScan.VisibleText(block.Html), block.IsSettled, HtmlScan.Count(block.Html, "pre") + HtmlScan.Count(block.Html, "div"));
                if (block.Key < screen.Count)
                {
                    counts.SettledChanges += screen[block.Key].Settled ? 1 : 0;
                    screen[block.Key] = shown;
                }
                else
                {
                    screen.Add(shown);
                }
            }

            foreach (var key in update.Settled)
            {
                screen[key] = screen[key] with { Settled = true };
            }

            var after = touched < screen.Count ? string.Join(" ", screen.Skip(touched).Select(s => s.Text)) : "";
            // Gone: not in the common prefix, nor found in order in what follows it (text may be inserted inside).
            var matched = before.AsSpan().CommonPrefixLength(after);
            foreach (var c in after.AsSpan(matched))
            {
                if (matched < before.Length && before[matched] == c)
                {
                    matched++;
                }
            }

            counts.Retracted += before.Length - matched;
            if (screen.Sum(s => s.Code) < fenceLineEnds.Count(e => e < at))
            {
                counts.FenceAsText++;
            }
        }
    }

    private static void ReportPerDelta(string label, string text)
    {
        var deltas = MarkdownDocuments.Deltas(text, 3, 6, Seed);
        var samples = new double[deltas.Count];
        StreamIncremental(text, deltas, samples); // warm-up: JIT, ColorCode's compiled regexes
        StreamIncremental(text, deltas, samples);
        var tenth = Math.Max(1, samples.Length / 10);
        var first = samples.Take(tenth).Order().ToList();
        var last = samples.Skip(samples.Length - tenth).Order().ToList();
        var (start, end) = (first.Average(), last.Average());

        // The median too: a mean over a few hundred deltas moves with one GC pause or a busy neighbour on the machine.
        var (startMedian, endMedian) = (first[first.Count / 2], last[last.Count / 2]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"per-delta cost, {label} ({text.Length} chars, {deltas.Count} deltas of 3-6): first 10% mean {start:F1} us (median {startMedian:F1}), last 10% mean {end:F1} us (median {endMedian:F1}), ratio of means {end / start:F2}"));
    }

    private static int StreamIncremental(string text, List<int> deltas, double[]? samples)
    {
        var renderer = new ProgressiveMarkdownRenderer();
        var position = 0;
        var changes = 0;
        for (var i = 0; i < deltas.Count; i++)
        {
            var started = Stopwatch.GetTimestamp();
            changes += renderer.Append(text.AsSpan(position, deltas[i])).Changed.Count;
            if (samples is not null)
            {
                samples[i] = Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            }

            position += deltas[i];
        }

        renderer.Complete();
        return changes;
    }

    private static int StreamNaive(string text, List<int> deltas, MarkdownPipeline pipeline)
    {
        var position = 0;
        var length = 0;
        foreach (var delta in deltas)
        {
            position += delta;
            length += Markdig.Markdown.ToHtml(text[..position], pipeline).Length;
        }

        return length;
    }

    private static double Time(Action action)
    {
        var started = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private sealed class Counts
    {
        public int Steps { get; set; }

        public int Mismatches { get; set; }

        public int SettledChanges { get; set; }

        public int FenceAsText { get; set; }

        public int Executable { get; set; }

        public int Retracted { get; set; }

        public void Add(Counts other)
        {
            Mismatches += other.Mismatches;
            SettledChanges += other.SettledChanges;
            FenceAsText += other.FenceAsText;
            Executable += other.Executable;
            Retracted += other.Retracted;
        }
    }
}
