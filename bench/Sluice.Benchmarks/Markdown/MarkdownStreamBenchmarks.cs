using BenchmarkDotNet.Attributes;
using Markdig;
using Sluice.Markdown;

namespace Sluice.Benchmarks.Markdown;

/// <summary>
/// Streaming one answer in 3–6 character deltas: Sluice's <see cref="ProgressiveMarkdownRenderer"/> (settled blocks
/// rendered once, the open tail re-rendered and healed) against the naive approach, Markdig rendering the whole
/// accumulated text after every delta.
/// </summary>
/// <remarks>
/// The answers are the test corpus (<c>tests/Sluice.Markdown.Tests/Corpus</c>) concatenated and cut at a blank line
/// past 5 KB and 50 KB. The naive side uses the same pipeline without highlighting: it is the cheapest whole-document
/// render (with ColorCode on every delta it is several times slower still), so the comparison favours the baseline.
/// Each invocation streams the whole answer; times and allocations are per answer.
/// </remarks>
[MemoryDiagnoser]
public class MarkdownStreamBenchmarks
{
    private string _text = "";
    private List<int> _deltas = [];
    private MarkdownPipeline _naivePipeline = null!;

    /// <summary>The answer's size in KB.</summary>
    [Params(5, 50)]
    public int SizeKb { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _text = MarkdownDocuments.OfSize(MarkdownDocuments.ReadAll(MarkdownDocuments.FindCorpus()), SizeKb * 1024);
        _deltas = MarkdownDocuments.Deltas(_text, 3, 6, seed: 42);
        _naivePipeline = new MarkdownPipelineBuilder().UseSluiceMarkdown(new ProgressiveMarkdownOptions { HighlightCode = false }).Build();
    }

    [Benchmark]
    public int Incremental()
    {
        var renderer = new ProgressiveMarkdownRenderer();
        var position = 0;
        var changes = 0;
        foreach (var length in _deltas)
        {
            changes += renderer.Append(_text.AsSpan(position, length)).Changed.Count;
            position += length;
        }

        renderer.Complete();
        return changes;
    }

    [Benchmark(Baseline = true)]
    public int Naive()
    {
        var position = 0;
        var length = 0;
        foreach (var delta in _deltas)
        {
            position += delta;
            length += Markdig.Markdown.ToHtml(_text[..position], _naivePipeline).Length;
        }

        return length;
    }
}
