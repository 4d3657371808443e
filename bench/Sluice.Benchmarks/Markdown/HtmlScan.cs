using System.Net;
using System.Text;

namespace Sluice.Benchmarks.Markdown;

/// <summary>
/// A small reader for the HTML the renderer writes (Markdig output: every '&lt;' in text is escaped, attributes are
/// quoted), enough to list tags, attributes and visible text without an HTML parser dependency in the benchmarks.
/// </summary>
/// <remarks>
/// The tests check the same properties with AngleSharp, a full HTML5 parser; this reader is for the
/// <c>--corpus</c> program only, so that it runs on any folder of answers without the test project.
/// </remarks>
internal static class HtmlScan
{
    private static readonly HashSet<string> ExecutableElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "meta", "link", "style", "svg", "math", "template",
    };

    public static int CountExecutable(string html)
    {
        var count = 0;
        foreach (var (name, attributes) in Tags(html))
        {
            if (ExecutableElements.Contains(name))
            {
                count++;
            }

            foreach (var (attribute, value) in attributes)
            {
                if (attribute.StartsWith("on", StringComparison.OrdinalIgnoreCase)
                    || (attribute is "href" or "src" or "action" or "formaction" or "srcset" && IsScriptUrl(value)))
                {
                    count++;
                }
            }
        }

        return count;
    }

    public static int Count(string html, string element) => Tags(html).Count(t => t.Name.Equals(element, StringComparison.OrdinalIgnoreCase));

    public static string VisibleText(string html)
    {
        var text = new StringBuilder(html.Length);
        var space = false;
        var inTag = false;
        foreach (var c in html)
        {
            if (inTag)
            {
                inTag = c != '>';
                continue;
            }

            if (c == '<')
            {
                inTag = true;
                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                space = text.Length > 0;
                continue;
            }

            if (space)
            {
                text.Append(' ');
                space = false;
            }

            text.Append(c);
        }

        return WebUtility.HtmlDecode(text.ToString());
    }

    private static bool IsScriptUrl(string value)
    {
        var url = new string([.. WebUtility.HtmlDecode(value).Where(c => c > ' ')]).ToLowerInvariant();
        return url.StartsWith("javascript:", StringComparison.Ordinal) || url.StartsWith("vbscript:", StringComparison.Ordinal)
            || url.StartsWith("data:", StringComparison.Ordinal);
    }

    private static IEnumerable<(string Name, List<(string Name, string Value)> Attributes)> Tags(string html)
    {
        for (var i = html.IndexOf('<'); i >= 0; i = html.IndexOf('<', i + 1))
        {
            var end = html.IndexOf('>', i);
            if (end < 0)
            {
                yield break;
            }

            var tag = html.AsSpan(i + 1, end - i - 1).Trim('/');
            var nameEnd = tag.IndexOfAny(" \t\n/");
            var name = (nameEnd < 0 ? tag : tag[..nameEnd]).ToString();
            var attributes = new List<(string, string)>();
            var rest = nameEnd < 0 ? "" : tag[nameEnd..].ToString();
            var j = 0;
            while (j < rest.Length)
            {
                while (j < rest.Length && (char.IsWhiteSpace(rest[j]) || rest[j] == '/'))
                {
                    j++;
                }

                var attributeStart = j;
                while (j < rest.Length && rest[j] is not ('=' or ' ' or '\t' or '\n'))
                {
                    j++;
                }

                var attribute = rest[attributeStart..j];
                var value = "";
                if (j < rest.Length && rest[j] == '=')
                {
                    j++;
                    var quote = j < rest.Length && rest[j] is '"' or '\'' ? rest[j++] : ' ';
                    var valueEnd = rest.IndexOf(quote, j);
                    valueEnd = valueEnd < 0 ? rest.Length : valueEnd;
                    value = rest[j..valueEnd];
                    j = valueEnd + 1;
                }

                if (attribute.Length > 0)
                {
                    attributes.Add((attribute, value));
                }
            }

            yield return (name, attributes);
            i = end;
        }
    }
}
