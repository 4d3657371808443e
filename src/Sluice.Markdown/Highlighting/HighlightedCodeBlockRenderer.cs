using System.Text;
using ColorCode;
using Markdig.Renderers;
using Markdig.Renderers.Html;
using Markdig.Syntax;

namespace Sluice.Markdown.Highlighting;

/// <summary>
/// Writes a code block as Markdig does (<c>&lt;pre&gt;&lt;code class="language-x"&gt;</c>), its text highlighted by
/// ColorCode when the language is known.
/// </summary>
/// <remarks>
/// While a fence is still being written its last line is usually half a line: that line is written escaped but not
/// highlighted, and the highlighting of the complete lines before it is cached, so that a token costs one cache lookup
/// rather than a ColorCode pass over the whole block. The complete lines are highlighted again when a line completes,
/// as a line can change how earlier ones read (a <c>/*</c>). One instance per HTML renderer; not thread-safe.
/// </remarks>
internal sealed class HighlightedCodeBlockRenderer(bool highlight) : HtmlObjectRenderer<CodeBlock>
{
    private const int MaxCachedBlocks = 16;

    private readonly ClassColorizer? _colorizer = highlight ? new ClassColorizer() : null;
    private readonly Dictionary<(ILanguage Language, string Code), string> _cache = [];
    private readonly StringBuilder _code = new();

    /// <summary>
    /// Where the text being rendered ends when its last line is incomplete (a code line ending there is partial);
    /// -1 when the text ends with a newline or is complete.
    /// </summary>
    public int PartialLineEnd { get; set; } = -1;

    protected override void Write(HtmlRenderer renderer, CodeBlock obj)
    {
        renderer.EnsureLine();
        renderer.Write("<pre><code");
        renderer.WriteAttributes(obj);
        renderer.Write('>');
        var language = _colorizer is null ? null : LanguageMap.Find((obj as FencedCodeBlock)?.Info);
        if (language is null)
        {
            renderer.WriteLeafRawLines(obj, true, true);
        }
        else
        {
            WriteHighlighted(renderer, obj, language);
        }

        renderer.WriteLine("</code></pre>");
        renderer.EnsureLine();
    }

    private void WriteHighlighted(HtmlRenderer renderer, CodeBlock block, ILanguage language)
    {
        var lines = block.Lines;
        var complete = lines.Count;
        if (complete > 0 && PartialLineEnd >= 0 && lines.Lines[complete - 1].Slice.End + 1 == PartialLineEnd)
        {
            complete--;
        }

        _code.Clear();
        for (var i = 0; i < complete; i++)
        {
            var slice = lines.Lines[i].Slice;
            _code.Append(slice.AsSpan()).Append('\n');
        }

        renderer.Write(Highlight(language, _code.ToString()));
        if (complete < lines.Count)
        {
            // The half-written last line: plain until it is complete (see remarks).
            renderer.WriteEscape(lines.Lines[complete].Slice.AsSpan());
            renderer.WriteLine();
        }
    }

    private string Highlight(ILanguage language, string code)
    {
        if (code.Length == 0)
        {
            return code;
        }

        if (_cache.TryGetValue((language, code), out var html))
        {
            return html;
        }

        // Bounded: a tail holds few code blocks; past the bound, start over rather than track use.
        if (_cache.Count >= MaxCachedBlocks)
        {
            _cache.Clear();
        }

        html = _colorizer!.Highlight(code, language);
        _cache[(language, code)] = html;
        return html;
    }
}
