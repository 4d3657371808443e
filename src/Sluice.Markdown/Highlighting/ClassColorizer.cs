using System.Text;
using ColorCode;
using ColorCode.Parsing;

namespace Sluice.Markdown.Highlighting;

/// <summary>
/// ColorCode's parser, writing <c>&lt;span class="…"&gt;</c> elements (ColorCode's class names: <c>keyword</c>,
/// <c>string</c>, <c>comment</c>, …) into a string, without ColorCode's own <c>&lt;div&gt;&lt;pre&gt;</c> wrapper.
/// </summary>
/// <remarks>
/// NOTE: <see cref="HtmlClassFormatter"/> writes the same classes but wraps them in a <c>div</c> and <c>pre</c> of its
/// own and a leading newline; the block renderer already writes <c>&lt;pre&gt;&lt;code&gt;</c>, so only the spans are
/// wanted. Not thread-safe: one per HTML renderer.
/// </remarks>
internal sealed class ClassColorizer() : CodeColorizerBase(null, null)
{
    private StringBuilder? _output;

    public string Highlight(string code, ILanguage language)
    {
        var output = new StringBuilder(code.Length + (code.Length / 2));
        _output = output;
        try
        {
            languageParser.Parse(code, language, Write);
        }
        finally
        {
            _output = null;
        }

        return output.ToString();
    }

    protected override void Write(string parsedSourceCode, IList<Scope> scopes)
    {
        var output = _output!;
        var end = WriteScopes(output, parsedSourceCode, 0, scopes);
        HtmlText.Escape(output, parsedSourceCode.AsSpan(end));
    }

    // Scopes nest and carry absolute indexes into parsedSourceCode; returns where the text written so far ends.
    private int WriteScopes(StringBuilder output, string code, int position, IList<Scope> scopes)
    {
        foreach (var scope in scopes.OrderBy(s => s.Index))
        {
            if (scope.Index < position)
            {
                continue; // overlapping capture: ColorCode's own formatter also writes each character once
            }

            HtmlText.Escape(output, code.AsSpan(position, scope.Index - position));
            var className = Styles.Contains(scope.Name) ? Styles[scope.Name].ReferenceName : null;
            if (className is not null)
            {
                output.Append("<span class=\"").Append(className).Append("\">");
            }

            var end = scope.Index + scope.Length;
            var inner = WriteScopes(output, code, scope.Index, scope.Children);
            HtmlText.Escape(output, code.AsSpan(inner, Math.Max(0, end - inner)));
            if (className is not null)
            {
                output.Append("</span>");
            }

            position = Math.Max(end, inner);
        }

        return position;
    }
}
