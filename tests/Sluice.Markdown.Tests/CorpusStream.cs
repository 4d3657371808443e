using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Syntax;

namespace Sluice.Markdown.Tests;

/// <summary>
/// Streams one document through a <see cref="ProgressiveMarkdownRenderer"/> in seeded random 1–8 character deltas,
/// rebuilding the screen from the updates alone (as a UI would), and counts what the issue says must not happen.
/// </summary>
/// <remarks>
/// Only the blocks an update adds or changes are parsed (AngleSharp), so a document costs time linear in its length:
/// a block that is not in an update has not changed, and was checked when it was.
/// </remarks>
internal sealed class CorpusStream
{
    private readonly List<Shown> _screen = [];
    private readonly List<int> _fenceLineEnds;
    private readonly List<int> _mathLineEnds;

    private CorpusStream(string markdown, MarkdownPipeline pipeline)
    {
        var document = Markdig.Markdown.Parse(markdown, pipeline);
        _fenceLineEnds = [.. document.Descendants<FencedCodeBlock>().Where(b => b is not MathBlock).Select(b => markdown.IndexOf('\n', b.Span.Start))];
        _mathLineEnds = [.. document.Descendants<MathBlock>().Select(b => markdown.IndexOf('\n', b.Span.Start))];
    }

    public int Steps { get; private set; }

    public int SettledChanges { get; private set; }

    public int FenceAsTextSteps { get; private set; }

    public List<string> Executable { get; } = [];

    public int RetractedChars { get; private set; }

    public List<string> Retractions { get; } = [];

    public bool FinalHtmlMatches { get; private set; }

    public string FinalHtml { get; private set; } = "";

    public string ExpectedHtml { get; private set; } = "";

    public static CorpusStream Run(string markdown, int seed, ProgressiveMarkdownOptions? options = null)
    {
        options ??= ProgressiveMarkdownOptions.Default;
        var pipeline = new MarkdownPipelineBuilder().UseSluiceMarkdown(options).Build();
        var stream = new CorpusStream(markdown, pipeline);
        var renderer = new ProgressiveMarkdownRenderer(options);
        var random = new Random(seed);
        var position = 0;
        while (position < markdown.Length)
        {
            var length = Math.Min(random.Next(1, 9), markdown.Length - position);

            // A model's delta never splits a UTF-16 surrogate pair.
            if (char.IsHighSurrogate(markdown[position + length - 1]) && position + length < markdown.Length)
            {
                length++;
            }

            position += length;
            stream.Apply(renderer.Append(markdown.AsSpan(position - length, length)), position, markdown);
        }

        stream.Apply(renderer.Complete(), int.MaxValue, markdown);
        stream.FinalHtml = string.Concat(stream._screen.Select(s => s.Html));
        stream.ExpectedHtml = Markdig.Markdown.ToHtml(markdown, pipeline);
        stream.FinalHtmlMatches = stream.FinalHtml == stream.ExpectedHtml && stream.FinalHtml == renderer.ToHtml();
        return stream;
    }

    private void Apply(MarkdownUpdate update, int position, string markdown)
    {
        Steps++;
        var firstTouched = int.MaxValue;
        foreach (var key in update.Removed)
        {
            firstTouched = Math.Min(firstTouched, key);
        }

        foreach (var block in update.Changed.Concat(update.Added))
        {
            firstTouched = Math.Min(firstTouched, block.Key);
        }

        var before = firstTouched < _screen.Count ? string.Join(" ", _screen.Skip(firstTouched).Select(s => s.Text)) : "";

        foreach (var key in update.Removed.OrderByDescending(k => k))
        {
            if (_screen[key].Settled)
            {
                SettledChanges++;
            }

            _screen.RemoveAt(key);
        }

        foreach (var block in update.Changed.Concat(update.Added))
        {
            var shown = Show(block, position);
            if (block.Key < _screen.Count)
            {
                if (_screen[block.Key].Settled)
                {
                    SettledChanges++;
                }

                _screen[block.Key] = shown;
            }
            else
            {
                Assert.Equal(_screen.Count, block.Key); // added blocks follow every existing block, in key order
                _screen.Add(shown);
            }
        }

        foreach (var key in update.Settled)
        {
            _screen[key] = _screen[key] with { Settled = true };
        }

        if (firstTouched < _screen.Count || before.Length > 0)
        {
            var after = firstTouched < _screen.Count ? string.Join(" ", _screen.Skip(firstTouched).Select(s => s.Text)) : "";
            // Text may be inserted in the middle (before an open block's end, such as a math block's "\]") while
            // more is appended: a character is gone when it is neither in the common prefix nor, in order, in what
            // follows it in the new text.
            var prefix = before.AsSpan().CommonPrefixLength(after);
            var gone = Unmatched(before.AsSpan(prefix), after.AsSpan(prefix));
            if (gone > 0)
            {
                RetractedChars += gone;
                Retractions.Add($"at {Math.Min(position, markdown.Length)}: \"{before[prefix..]}\" -> \"{after[prefix..]}\"");
            }
        }

        var fences = _fenceLineEnds.Count(end => end >= 0 && end < position);
        var maths = _mathLineEnds.Count(end => end >= 0 && end < position);
        if (_screen.Sum(s => s.CodeBlocks) < fences || _screen.Sum(s => s.MathBlocks) < maths)
        {
            FenceAsTextSteps++;
        }
    }

    // Characters of old that a greedy in-order match does not find in new.
    private static int Unmatched(ReadOnlySpan<char> old, ReadOnlySpan<char> @new)
    {
        var matched = 0;
        foreach (var c in @new)
        {
            if (matched < old.Length && old[matched] == c)
            {
                matched++;
            }
        }

        return old.Length - matched;
    }

    private Shown Show(MarkdownBlock block, int position)
    {
        var root = HtmlChecks.Parse(block.Html);
        foreach (var vector in HtmlChecks.ExecutableVectors(root))
        {
            Executable.Add($"at {position}: {vector}");
        }

        var codeBlocks = root.QuerySelectorAll("pre > code").Length;
        var mathBlocks = root.QuerySelectorAll("div.math").Length;
        return new Shown(block.Html, HtmlChecks.VisibleText(root), block.IsSettled, codeBlocks, mathBlocks);
    }

    private sealed record Shown(string Html, string Text, bool Settled, int CodeBlocks, int MathBlocks);
}
