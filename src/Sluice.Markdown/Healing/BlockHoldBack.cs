namespace Sluice.Markdown.Healing;

/// <summary>
/// Decides how much of the end of the tail to hold back for a moment, because what is there so far would render as
/// something other than what it is becoming: half a block marker, half a fence line, a table header before its
/// delimiter row.
/// </summary>
/// <remarks>
/// Held-back text is shown as soon as the next characters settle what it is, usually one or two tokens later. Holding
/// is cheaper for the reader than showing and retracting: a paragraph "foo" that is followed by a bare "-" is a
/// setext heading (Spec 4.3) until the "-" turns out to start a list item.
/// </remarks>
internal static class BlockHoldBack
{
    // Characters that, alone on a line so far, may still become a block marker: ATX heading (#), setext underline
    // (= -), thematic break (- * _), list item (- + * 1. 1)), fence (` ~), table delimiter row (| - :).
    private const string MarkerChars = "#=-*_+`~|:.)0123456789 \t";

    /// <summary>Returns the length of <paramref name="text"/> to render now; the rest is held back.</summary>
    public static int Cut(string text)
    {
        var lineStart = text.LastIndexOf('\n') + 1;
        var cut = text.Length;
        if (lineStart < text.Length && IsUndecidedLine(text.AsSpan(lineStart)))
        {
            cut = lineStart;
        }

        return HoldTableHeader(text, cut);
    }

    /// <summary>Whether a partial line is still only block syntax (or a fence opening line without its end).</summary>
    public static bool IsUndecidedLine(ReadOnlySpan<char> partialLine)
    {
        var rest = ContainerPrefix.Strip(partialLine);

        // Spec 4.5: the info string ends with the line; until then the language is not known.
        if (rest.StartsWith("```", StringComparison.Ordinal) || rest.StartsWith("~~~", StringComparison.Ordinal))
        {
            return true;
        }

        return !rest.ContainsAnyExcept(MarkerChars);
    }

    // A line starting with '|' after a non-table line may be a table header (Markdig pipe tables): until the
    // delimiter row is complete it is shown neither as a paragraph (its pipes would vanish when the table appears) nor
    // as a table.
    private static int HoldTableHeader(string text, int cut)
    {
        int candidate;
        if (cut == 0)
        {
            return cut;
        }

        if (text[cut - 1] == '\n')
        {
            // The last complete line; anything after the cut was held as undecided (maybe half a delimiter row).
            candidate = cut >= 2 ? text.LastIndexOf('\n', cut - 2) + 1 : 0;
        }
        else
        {
            candidate = text.LastIndexOf('\n', cut - 1) + 1;
        }

        if (!StartsWithPipe(text.AsSpan(candidate, LineLength(text, candidate, cut))))
        {
            return cut;
        }

        if (candidate > 0)
        {
            var previous = candidate >= 2 ? text.LastIndexOf('\n', candidate - 2) + 1 : 0;
            if (StartsWithPipe(text.AsSpan(previous, candidate - 1 - previous)))
            {
                return cut; // a body row (or a delimiter row) of a table already showing
            }
        }

        return candidate;
    }

    private static int LineLength(string text, int start, int cut)
    {
        var end = text.IndexOf('\n', start, cut - start);
        return (end < 0 ? cut : end) - start;
    }

    private static bool StartsWithPipe(ReadOnlySpan<char> line) => ContainerPrefix.Strip(line).StartsWith('|');
}
