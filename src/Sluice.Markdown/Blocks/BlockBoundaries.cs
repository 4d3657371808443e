using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace Sluice.Markdown.Blocks;

/// <summary>
/// Decides which top-level blocks of the parsed tail can no longer change (are settled), and where the text after them
/// starts.
/// </summary>
/// <remarks>
/// <para>
/// Block structure is decided line by line (Spec, Appendix "A parsing strategy"): once a complete line has started a
/// new top-level block, every block before it is closed for good, whatever follows. Hence the main rule: the blocks
/// before the last top-level block that starts on a complete line are settled. Everything that may still continue
/// a block therefore stays open: a fence runs to its closing fence whatever blank lines it holds (Spec 4.5), a list
/// may continue after blank lines (Spec 5.3), a block quote or paragraph may take a lazy continuation line (Spec 5.1),
/// a paragraph may become a setext heading (Spec 4.3) or a table (its delimiter row).
/// </para>
/// <para>
/// A few blocks are also known to be closed before anything follows them: an ATX or setext heading and a thematic
/// break once their line is complete, a fence once its closing fence line is complete, and a paragraph, table or
/// block quote once a blank line follows (Spec 4.8, 5.1). Lists and indented code are never closed by a blank line.
/// </para>
/// <para>
/// Only text before <c>stableEnd</c> counts: past it the tail was held back or healed, and is not what was written.
/// </para>
/// </remarks>
internal static class BlockBoundaries
{
    /// <summary>
    /// Returns how many of <paramref name="blocks"/> are settled, and in <paramref name="boundary"/> the index in
    /// <paramref name="text"/> where the text after them starts (the start of a line).
    /// </summary>
    public static int Settled(string text, List<Block> blocks, int stableEnd, out int boundary)
    {
        boundary = 0;
        var settled = 0;
        for (var i = blocks.Count - 1; i >= 1; i--)
        {
            var lineStart = LineStart(text, blocks[i].Span.Start);
            if (IsCompleteLine(text, lineStart, stableEnd))
            {
                settled = i;
                boundary = lineStart;
                break;
            }
        }

        if (settled < blocks.Count && ClosedEnd(text, blocks[settled], stableEnd) is var end and > 0)
        {
            settled++;
            boundary = end;
        }

        return settled;
    }

    // Where the text after a block that nothing can continue starts, or -1 if the block may still continue.
    private static int ClosedEnd(string text, Block block, int stableEnd)
    {
        var lineEnd = block.Span.End < 0 ? -1 : text.IndexOf('\n', Math.Min(block.Span.End, text.Length));
        if (lineEnd < 0 || lineEnd >= stableEnd)
        {
            return -1;
        }

        switch (block)
        {
            case HeadingBlock or ThematicBreakBlock:
            case FencedCodeBlock { ClosingFencedCharCount: > 0 }:
                return lineEnd + 1;
            case ParagraphBlock or Table or QuoteBlock:
                var next = lineEnd + 1;
                var blankEnd = text.IndexOf('\n', next);
                return blankEnd >= 0 && blankEnd < stableEnd && text.AsSpan(next, blankEnd - next).IsWhiteSpace() ? blankEnd + 1 : -1;
            default:
                return -1;
        }
    }

    private static int LineStart(string text, int position) =>
        position <= 0 ? 0 : text.LastIndexOf('\n', Math.Min(position, text.Length) - 1) + 1;

    private static bool IsCompleteLine(string text, int lineStart, int stableEnd)
    {
        var lineEnd = text.IndexOf('\n', lineStart);
        return lineEnd >= 0 && lineEnd < stableEnd;
    }
}
