using System.Text;
using Markdig;
using Markdig.Extensions.Tables;
using Markdig.Renderers;
using Markdig.Syntax;
using Sluice.Markdown.Blocks;
using Sluice.Markdown.Healing;
using Sluice.Markdown.Highlighting;

namespace Sluice.Markdown;

/// <summary>
/// Renders markdown while it is being written: fed text deltas, it keeps the document as a list of top-level blocks
/// with stable keys, renders settled blocks once, and re-renders only the open tail, healed so that half-written
/// markdown shows as what it is becoming.
/// </summary>
/// <remarks>
/// <para>Each delta:</para>
/// <list type="number">
/// <item>is appended to the tail (the text after the last settled block);</item>
/// <item>the tail's end is held back where it is still undecided (<see cref="BlockHoldBack"/>: half a list marker,
/// a fence line without its end, a table header without its delimiter row);</item>
/// <item>the tail is parsed; if its last paragraph or heading is open, its inline markup is healed
/// (<see cref="InlineHealer"/>) and the tail parsed again;</item>
/// <item>blocks that can no longer change are settled (<see cref="BlockBoundaries"/>) and their text leaves the
/// tail;</item>
/// <item>every tail block is rendered, and the update lists what was added, changed, removed and settled.</item>
/// </list>
/// <para>
/// The work per delta is proportional to the tail, not to the document. <see cref="Complete"/> renders the tail as
/// written (no holding back, no healing) and settles it: the concatenated HTML then equals
/// <c>Markdown.ToHtml(text, pipeline)</c> for a pipeline built with
/// <see cref="SluiceMarkdownExtensions.UseSluiceMarkdown"/> and the same options, link reference definitions aside
/// (a definition only applies to the blocks that are not yet settled when it arrives; see docs/MARKDOWN.md).
/// </para>
/// <para>Not thread-safe: one renderer per answer, fed from one thread at a time.</para>
/// </remarks>
public sealed class ProgressiveMarkdownRenderer
{
    private readonly MarkdownPipeline _pipeline;
    private readonly HtmlRenderer _html;
    private readonly StringWriter _writer = new();
    private readonly HighlightedCodeBlockRenderer? _codeRenderer;
    private readonly StringBuilder _tail = new();
    private readonly List<MarkdownBlock> _blocks = [];
    private readonly List<Block> _parsed = [];
    private readonly StringBuilder _code = new();
    private int _settledCount;
    private string? _lastRendered;

    /// <summary>Creates a renderer for one answer.</summary>
    /// <param name="options">What the output may contain; <see cref="ProgressiveMarkdownOptions.Default"/> when null.</param>
    public ProgressiveMarkdownRenderer(ProgressiveMarkdownOptions? options = null)
    {
        _pipeline = Pipelines.Get(options ?? ProgressiveMarkdownOptions.Default);
        _html = new HtmlRenderer(_writer);
        _pipeline.Setup(_html);
        _codeRenderer = _html.ObjectRenderers.Find<HighlightedCodeBlockRenderer>();
        Blocks = _blocks.AsReadOnly();
    }

    /// <summary>The document's top-level blocks, in key order (the key of each is its index).</summary>
    public IReadOnlyList<MarkdownBlock> Blocks { get; }

    /// <summary>Whether <see cref="Complete"/> has been called.</summary>
    public bool IsCompleted { get; private set; }

    /// <summary>Appends a delta of the answer and returns what changed on screen.</summary>
    /// <param name="delta">The next characters of the answer (any length, split anywhere).</param>
    /// <returns>The blocks added, changed, removed and settled by this delta; <see cref="MarkdownUpdate.IsEmpty"/> when
    /// the delta only extended text that is held back.</returns>
    /// <exception cref="InvalidOperationException">The renderer has been completed.</exception>
    public MarkdownUpdate Append(ReadOnlySpan<char> delta)
    {
        ThrowIfCompleted();
        if (delta.IsEmpty)
        {
            return MarkdownUpdate.Empty;
        }

        _tail.Append(delta);
        return Render(isFinal: false);
    }

    /// <summary>Ends the answer: renders the tail as written and settles every block.</summary>
    /// <returns>The last changes; afterwards every block is settled.</returns>
    /// <exception cref="InvalidOperationException">The renderer has already been completed.</exception>
    public MarkdownUpdate Complete()
    {
        ThrowIfCompleted();
        IsCompleted = true;
        return Render(isFinal: true);
    }

    /// <summary>The HTML of the whole document as it stands: the blocks' HTML concatenated.</summary>
    /// <returns>The HTML.</returns>
    public string ToHtml()
    {
        var html = new StringBuilder();
        foreach (var block in _blocks)
        {
            html.Append(block.Html);
        }

        return html.ToString();
    }

    private MarkdownUpdate Render(bool isFinal)
    {
        var text = _tail.ToString();

        // 1. Hold back the undecided end (nothing when final). A delta that only extends held-back text changes
        //    nothing: skip the parse.
        var cut = isFinal ? text.Length : BlockHoldBack.Cut(text);
        var source = cut == text.Length ? text : text[..cut];
        if (!isFinal && string.Equals(source, _lastRendered, StringComparison.Ordinal))
        {
            return MarkdownUpdate.Empty;
        }

        _lastRendered = source;

        // 2. Parse; heal the open paragraph's inline markup and parse again if that changed anything.
        var stableEnd = cut;
        var document = Markdig.Markdown.Parse(source, _pipeline);
        if (!isFinal && HealingRegionStart(source, document) is var regionStart and >= 0
            && InlineHealer.Heal(source, regionStart, out var firstChange) is { } healed)
        {
            stableEnd = Math.Min(stableEnd, firstChange);
            source = healed;
            document = Markdig.Markdown.Parse(source, _pipeline);
        }

        _parsed.Clear();
        foreach (var block in document)
        {
            if (!BlockKinds.IsInvisible(block))
            {
                _parsed.Add(block);
            }
        }

        // 3. Settle what can no longer change.
        var boundary = text.Length;
        var settled = isFinal ? _parsed.Count : BlockBoundaries.Settled(source, _parsed, stableEnd, out boundary);

        // 4. Render the tail's blocks and compare them with what is on screen.
        if (_codeRenderer is not null)
        {
            _codeRenderer.PartialLineEnd = isFinal || source.EndsWith('\n') ? -1 : source.Length;
        }

        var update = Diff(settled, isFinal);

        if (settled > 0)
        {
            _settledCount += settled;
            _tail.Remove(0, boundary);
            _lastRendered = null;
        }

        return update;
    }

    private MarkdownUpdate Diff(int settled, bool isFinal)
    {
        List<MarkdownBlock>? added = null;
        List<MarkdownBlock>? changed = null;
        List<int>? settledKeys = null;
        for (var i = 0; i < _parsed.Count; i++)
        {
            var key = _settledCount + i;
            var isSettled = isFinal || i < settled;
            var block = CreateBlock(key, _parsed[i], isSettled);
            if (isSettled)
            {
                (settledKeys ??= []).Add(key);
            }

            if (key < _blocks.Count)
            {
                if (!_blocks[key].Equals(block))
                {
                    _blocks[key] = block;
                    (changed ??= []).Add(block);
                }
            }
            else
            {
                _blocks.Add(block);
                (added ??= []).Add(block);
            }
        }

        var firstRemoved = _settledCount + _parsed.Count;
        int[] removed = [];
        if (firstRemoved < _blocks.Count)
        {
            removed = new int[_blocks.Count - firstRemoved];
            for (var i = 0; i < removed.Length; i++)
            {
                removed[i] = firstRemoved + i;
            }

            _blocks.RemoveRange(firstRemoved, removed.Length);
        }

        return added is null && changed is null && settledKeys is null && removed.Length == 0
            ? MarkdownUpdate.Empty
            : new MarkdownUpdate(added ?? [], changed ?? [], removed, settledKeys ?? []);
    }

    private MarkdownBlock CreateBlock(int key, Block block, bool isSettled)
    {
        _writer.GetStringBuilder().Clear();
        _html.Render(block);
        _writer.Flush();
        var html = _writer.ToString();
        string? language = null;
        string? code = null;
        if (block is CodeBlock codeBlock)
        {
            language = (block as FencedCodeBlock)?.Info;
            code = RawCode(codeBlock);
        }

        return new MarkdownBlock(key, BlockKinds.Of(block), html, isSettled, string.IsNullOrEmpty(language) ? null : language, code);
    }

    private string RawCode(CodeBlock block)
    {
        _code.Clear();
        var lines = block.Lines;
        for (var i = 0; i < lines.Count; i++)
        {
            _code.Append(lines.Lines[i].Slice.AsSpan()).Append('\n');
        }

        return _code.ToString();
    }

    // Where the last leaf block's inline text starts, when it may still continue (a paragraph, heading or table row
    // not yet closed); -1 when there is nothing to heal.
    private static int HealingRegionStart(string source, MarkdownDocument document)
    {
        Block? block = document.LastChild;
        Block? top = block;
        while (block is ContainerBlock { LastChild: { } child } and not Table)
        {
            block = child;
        }

        if (block is null or CodeBlock || (block is not LeafBlock && block is not Table))
        {
            return -1;
        }

        // A blank line closes a paragraph (Spec 4.8); a heading is one line (Spec 4.2, 4.3).
        var trimmed = source.AsSpan().TrimEnd(" \t");
        if (trimmed.EndsWith("\n\n") || (block is HeadingBlock or ThematicBreakBlock && trimmed.EndsWith('\n')))
        {
            return -1;
        }

        if (block is Table || top is Table)
        {
            // Emphasis does not cross cells: only the last cell is open.
            var lineStart = source.LastIndexOf('\n', Math.Max(0, source.Length - 1)) + 1;
            var pipe = source.LastIndexOf('|');
            return Math.Max(lineStart, pipe + 1);
        }

        return block is ParagraphBlock or HeadingBlock ? block.Span.Start : -1;
    }

    private void ThrowIfCompleted()
    {
        if (IsCompleted)
        {
            throw new InvalidOperationException("The renderer has been completed.");
        }
    }
}
