using System.Globalization;
using System.Text;

namespace Sluice.Markdown.Healing;

/// <summary>
/// Heals the inline markup of the last, still open paragraph or heading so that it renders as what it is becoming:
/// unclosed <c>**</c>, <c>*</c>, <c>_</c>, <c>~~</c> and code spans are closed virtually, a half-written link shows
/// its text (no link, no bracket), a half-written image nothing yet, and a trailing run that may still grow (<c>*</c>,
/// a backtick, <c>&lt;scr</c>, <c>&amp;am</c>, a backslash) is held back.
/// </summary>
/// <remarks>
/// <para>
/// NOTE: written by hand rather than as a Markdig extension: Markdig turns unmatched delimiters into literal text
/// without saying so, and a link parser cannot show text it has not been given the end of. The scan follows the
/// CommonMark delimiter rules closely enough for the end of a paragraph (flanking, Spec 6.2; code spans, Spec 6.1;
/// links, Spec 6.3) and only decides what to append or hide; Markdig then parses the result.
/// </para>
/// <para>One left-to-right pass over the paragraph: O(paragraph length), no allocation unless something is healed.</para>
/// </remarks>
internal static class InlineHealer
{
    private const int MaxOpeners = 32;

    /// <summary>
    /// Heals <paramref name="text"/>, whose last inline-bearing block starts at <paramref name="regionStart"/> and runs
    /// to the end. Returns null when nothing needs healing; otherwise the healed text, and in
    /// <paramref name="firstChange"/> the first index at which it differs from <paramref name="text"/>.
    /// </summary>
    public static string? Heal(string text, int regionStart, out int firstChange)
    {
        Span<Opener> stack = stackalloc Opener[MaxOpeners];
        var scan = new Scan(text, regionStart, stack);
        scan.Run();
        return scan.Build(out firstChange);
    }

    private enum OpenerKind : byte
    {
        Emphasis,
        Link,
        Image,
    }

    private struct Opener
    {
        public OpenerKind Kind;
        public char Char;
        public int Position;
        public int Length;
        public int TextEnd; // for a link whose ']' has been written: where the text ends
    }

    private ref struct Scan(string text, int start, Span<Opener> stack)
    {
        private readonly string _text = text;
        private readonly Span<Opener> _stack = stack;
        private int _depth;
        private int _hideFrom = text.Length;
        private int _codeOpenerLength;
        private int _codeOpenerPosition = -1;

        public void Run()
        {
            var end = _text.Length;
            var lastGreaterThan = _text.LastIndexOf('>');
            var i = start;
            while (i < end)
            {
                var c = _text[i];
                switch (c)
                {
                    case '\\':
                        if (i + 1 == end)
                        {
                            _hideFrom = i; // escapes whatever comes next
                            return;
                        }

                        i += 2;
                        break;
                    case '`':
                        if (!CodeSpan(ref i))
                        {
                            return;
                        }

                        break;
                    case '*' or '_' or '~':
                        if (!Delimiters(ref i, c))
                        {
                            return;
                        }

                        break;
                    case '!' when i + 1 < end && _text[i + 1] == '[':
                        Push(OpenerKind.Image, '[', i, 2);
                        i += 2;
                        break;
                    case '!' when i + 1 == end:
                        _hideFrom = i; // may be an image
                        return;
                    case '[':
                        Push(OpenerKind.Link, '[', i, 1);
                        i++;
                        break;
                    case ']':
                        if (!CloseBracket(ref i))
                        {
                            return;
                        }

                        break;
                    case '<' when i > lastGreaterThan && !_text.AsSpan(i + 1).ContainsAny(" \t\n"):
                        _hideFrom = i; // an autolink or escaped tag being written: shown once it closes (or is not one)
                        return;
                    case '&' when IsPartialEntity(i):
                        _hideFrom = i; // "&am" would show, then become "&"
                        return;
                    default:
                        i++;
                        break;
                }
            }
        }

        // Spec 6.1: a code span ends at the next backtick run of the same length; if there is none yet, it is open.
        private bool CodeSpan(ref int i)
        {
            var end = _text.Length;
            var length = RunLength(i, '`');
            if (i + length == end)
            {
                _hideFrom = i; // the run may still grow
                return false;
            }

            var search = i + length;
            while (search < end)
            {
                var next = _text.IndexOf('`', search);
                if (next < 0)
                {
                    break;
                }

                var run = RunLength(next, '`');
                if (run == length)
                {
                    i = next + run;
                    return true;
                }

                search = next + run;
            }

            _codeOpenerPosition = i;
            _codeOpenerLength = length;

            // Backticks ending the code so far would merge with the closer into a longer run: held back.
            var hide = end;
            while (hide > i + length && _text[hide - 1] == '`')
            {
                hide--;
            }

            _hideFrom = hide;
            return false;
        }

        // Spec 6.2: left- and right-flanking delimiter runs, and the extra rules for '_'.
        private bool Delimiters(ref int i, char c)
        {
            var length = RunLength(i, c);
            if (i + length == _text.Length)
            {
                _hideFrom = i; // "*" may become "**", or the start of a list item or a product
                return false;
            }

            var before = i > 0 ? _text[i - 1] : '\n';
            var after = _text[i + length];
            var left = !IsWhitespace(after) && (!IsPunctuation(after) || IsWhitespace(before) || IsPunctuation(before));
            var right = !IsWhitespace(before) && (!IsPunctuation(before) || IsWhitespace(after) || IsPunctuation(after));
            bool canOpen, canClose;
            if (c == '_')
            {
                canOpen = left && (!right || IsPunctuation(before));
                canClose = right && (!left || IsPunctuation(after));
            }
            else if (c == '~')
            {
                // Strikethrough is exactly "~~" (Markdig's EmphasisExtras); other tilde runs are text.
                canOpen = left && length == 2;
                canClose = right && length == 2;
            }
            else
            {
                // An intraword '*' ("2*3", "a*b") is left without a virtual closer: in answers it is far more often
                // arithmetic or a glob than the start of emphasis.
                canOpen = left && !(right && char.IsLetterOrDigit(before) && char.IsLetterOrDigit(after));
                canClose = right;
            }

            var remaining = length;
            if (canClose)
            {
                remaining = Close(c, length);
            }

            if (remaining == length && canOpen)
            {
                Push(OpenerKind.Emphasis, c, i, length);
            }

            i += length;
            return true;
        }

        // Closes openers of the same character from the top down, as far as the run reaches; returns what is left.
        private int Close(char c, int length)
        {
            for (var k = _depth - 1; k >= 0 && length > 0; k--)
            {
                ref var opener = ref _stack[k];
                if (opener.Kind != OpenerKind.Emphasis)
                {
                    break; // emphasis does not close across an open bracket
                }

                if (opener.Char != c)
                {
                    continue;
                }

                var used = Math.Min(opener.Length, length);
                opener.Length -= used;
                length -= used;
                _depth = opener.Length > 0 ? k + 1 : k; // openers inside the closed span are literal text now
            }

            return length;
        }

        // Spec 6.3: "]" ends a link text; a link is complete when "(destination)" follows it.
        private bool CloseBracket(ref int i)
        {
            var k = _depth - 1;
            while (k >= 0 && _stack[k].Kind == OpenerKind.Emphasis)
            {
                k--;
            }

            if (k < 0)
            {
                i++;
                return true;
            }

            var end = _text.Length;
            if (i + 1 == end || _text[i + 1] == '(')
            {
                var close = i + 1 == end ? -1 : DestinationEnd(i + 2);
                if (close >= 0)
                {
                    _depth = k; // a complete link: emphasis left open inside its text stays literal
                    i = close + 1;
                    return true;
                }

                _stack[k].TextEnd = i; // half a link: its destination is not shown
                return false;
            }

            // "[x]" without a destination is text (reference links aside); openers inside it stay open.
            _stack[(k + 1).._depth].CopyTo(_stack[k..]);
            _depth--;
            i++;
            return true;
        }

        private readonly int DestinationEnd(int start)
        {
            var nesting = 1;
            for (var j = start; j < _text.Length; j++)
            {
                switch (_text[j])
                {
                    case '\\':
                        j++;
                        break;
                    case '(':
                        nesting++;
                        break;
                    case ')' when --nesting == 0:
                        return j;
                }
            }

            return -1;
        }

        private readonly bool IsPartialEntity(int i)
        {
            // Spec 2.5: an entity reference is at most 32 characters; one still being written has no ';' yet.
            var j = i + 1;
            while (j < _text.Length && j - i <= 32 && (char.IsAsciiLetterOrDigit(_text[j]) || _text[j] == '#'))
            {
                j++;
            }

            return j == _text.Length;
        }

        private void Push(OpenerKind kind, char c, int position, int length)
        {
            if (_depth < _stack.Length)
            {
                _stack[_depth++] = new Opener { Kind = kind, Char = c, Position = position, Length = length, TextEnd = -1 };
            }
        }

        private readonly int RunLength(int i, char c)
        {
            var j = i;
            while (j < _text.Length && _text[j] == c)
            {
                j++;
            }

            return j - i;
        }

        public readonly string? Build(out int firstChange)
        {
            var end = _hideFrom;
            var depth = _depth;

            // An open image shows nothing until it is complete (its alt text would vanish into the image); whatever
            // was opened inside it goes with it.
            for (var k = 0; k < depth; k++)
            {
                if (_stack[k].Kind == OpenerKind.Image)
                {
                    end = Math.Min(end, _stack[k].Position);
                    depth = k;
                    break;
                }
            }

            // A half-written link shows its text only: the '[' is dropped, and from ']' on nothing is shown. At the
            // start of a paragraph, "[", "[x" and "[ ]" may be a task list item's box: held back instead.
            var bracketCount = 0;
            for (var k = 0; k < depth; k++)
            {
                if (_stack[k].Kind == OpenerKind.Link && _stack[k].Position == start && IsTaskBoxPrefix(_text.AsSpan(start, end - start)))
                {
                    end = start;
                    depth = k;
                    break;
                }

                if (_stack[k].Kind == OpenerKind.Link)
                {
                    bracketCount++;
                    if (_stack[k].TextEnd >= 0)
                    {
                        end = Math.Min(end, _stack[k].TextEnd);
                    }
                }
            }

            // Closers go before trailing whitespace (a closer after a space does not close, Spec 6.2). An opener with
            // nothing after it is hidden instead of closed: "**" + "**" would be a thematic break.
            var closeAt = TrimEnd(end);
            var closers = new StringBuilder();
            if (_codeOpenerPosition >= 0 && _codeOpenerPosition < closeAt)
            {
                if (_codeOpenerPosition + _codeOpenerLength >= closeAt)
                {
                    end = closeAt = TrimEnd(_codeOpenerPosition);
                }
                else
                {
                    // Spaces are code span content (Spec 6.1), and moving the closer before them could join it to
                    // a backtick in the content: the code span closes where the line ends.
                    closeAt = end;
                    while (closeAt > start && _text[closeAt - 1] is '\n' or '\r')
                    {
                        closeAt--; // but not on a line of its own, where it would open a fence
                    }

                    closers.Append('`', _codeOpenerLength);
                }
            }

            for (var k = depth - 1; k >= 0; k--)
            {
                var opener = _stack[k];
                if (opener.Kind != OpenerKind.Emphasis || opener.Position >= closeAt)
                {
                    continue;
                }

                if (opener.Position + opener.Length >= closeAt)
                {
                    end = closeAt = TrimEnd(opener.Position);
                    continue;
                }

                closers.Append(opener.Char, opener.Length);
            }

            if (end == _text.Length && closers.Length == 0 && bracketCount == 0)
            {
                firstChange = _text.Length;
                return null;
            }

            var healed = new StringBuilder(end + closers.Length + 1);
            firstChange = Math.Min(end, closeAt);
            var position = start;
            healed.Append(_text, 0, start);
            for (var k = 0; k < depth; k++)
            {
                var opener = _stack[k];
                if (opener.Kind == OpenerKind.Link && opener.Position < closeAt)
                {
                    healed.Append(_text, position, opener.Position - position);
                    position = opener.Position + 1;
                    firstChange = Math.Min(firstChange, opener.Position);
                }
            }

            healed.Append(_text, position, Math.Max(0, closeAt - position));
            healed.Append(closers);
            if (closeAt < end)
            {
                healed.Append(_text, closeAt, end - closeAt);
            }

            // A trailing run held back and given back as the closer it was ("**more**"): nothing to heal.
            return healed.Length == _text.Length && healed.Equals(_text) ? null : healed.ToString();
        }

        private static bool IsTaskBoxPrefix(ReadOnlySpan<char> text) =>
            text is "[" or "[ " or "[x" or "[X" or "[ ]" or "[x]" or "[X]";

        private readonly int TrimEnd(int end)
        {
            while (end > start && char.IsWhiteSpace(_text[end - 1]))
            {
                end--;
            }

            return end;
        }

        private static bool IsWhitespace(char c) => char.IsWhiteSpace(c);

        // Spec 2.1: Unicode punctuation is general categories P and S.
        private static bool IsPunctuation(char c) => char.GetUnicodeCategory(c) is
            UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation or UnicodeCategory.MathSymbol
            or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol;
    }
}
