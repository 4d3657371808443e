using System.Text;

namespace Sluice.Markdown;

/// <summary>HTML text escaping as Markdig's <c>HtmlRenderer.WriteEscape</c> does it (<c>&amp;</c>, <c>&lt;</c>, <c>&gt;</c>, <c>"</c>).</summary>
internal static class HtmlText
{
    public static void Escape(StringBuilder output, ReadOnlySpan<char> text)
    {
        while (!text.IsEmpty)
        {
            var next = text.IndexOfAny("&<>\"");
            if (next < 0)
            {
                output.Append(text);
                return;
            }

            output.Append(text[..next]);
            output.Append(text[next] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => "&quot;",
            });
            text = text[(next + 1)..];
        }
    }
}
