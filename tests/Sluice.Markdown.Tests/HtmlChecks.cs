using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using Ganss.Xss;

namespace Sluice.Markdown.Tests;

/// <summary>Checks on rendered HTML, made on the parsed DOM (AngleSharp), never by pattern matching.</summary>
internal static class HtmlChecks
{
    private static readonly HtmlParser Parser = new();

    // Element names that run script or change how the page loads or submits.
    private static readonly HashSet<string> ExecutableElements = new(StringComparer.OrdinalIgnoreCase)
    {
        "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "form", "meta", "link", "style", "svg", "math", "template",
    };

    private static readonly HashSet<string> UrlAttributes = new(StringComparer.OrdinalIgnoreCase)
    {
        "href", "src", "action", "formaction", "xlink:href", "srcset", "background", "poster", "data", "codebase", "cite",
    };

    public static IElement Parse(string html)
    {
        var document = Parser.ParseDocument("<!DOCTYPE html><html><body>" + html + "</body></html>");
        return document.Body!;
    }

    /// <summary>Every executable vector in the HTML: script-bearing elements, on… handlers, script URLs.</summary>
    public static List<string> ExecutableVectors(IElement root)
    {
        var found = new List<string>();
        foreach (var element in root.QuerySelectorAll("*"))
        {
            if (ExecutableElements.Contains(element.LocalName))
            {
                found.Add("<" + element.LocalName + ">");
            }

            foreach (var attribute in element.Attributes)
            {
                if (attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase))
                {
                    found.Add(element.LocalName + " " + attribute.Name);
                }
                else if (UrlAttributes.Contains(attribute.Name) && IsScriptUrl(attribute.Value))
                {
                    found.Add(element.LocalName + " " + attribute.Name + "=" + attribute.Value);
                }
                else if (attribute.Name.Equals("style", StringComparison.OrdinalIgnoreCase)
                    && (attribute.Value.Contains("url(", StringComparison.OrdinalIgnoreCase) || attribute.Value.Contains("expression", StringComparison.OrdinalIgnoreCase)))
                {
                    found.Add(element.LocalName + " style=" + attribute.Value);
                }
            }
        }

        return found;
    }

    // As a browser reads the scheme: leading controls and spaces stripped, tabs and newlines removed anywhere.
    private static bool IsScriptUrl(string url)
    {
        var normalized = new string([.. url.TrimStart('\0', ' ', '\t', '\n', '\r', '\f').Where(c => c is not ('\t' or '\n' or '\r'))]).ToLowerInvariant();
        return normalized.StartsWith("javascript:", StringComparison.Ordinal)
            || normalized.StartsWith("vbscript:", StringComparison.Ordinal)
            || normalized.StartsWith("data:", StringComparison.Ordinal);
    }

    /// <summary>The text a reader sees, whitespace runs collapsed to one space (layout whitespace is not content).</summary>
    public static string VisibleText(IElement root)
    {
        var text = root.TextContent;
        var builder = new System.Text.StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Sanitizes with HtmlSanitizer's default policy plus two additions the issue asks for (the <c>class</c> attribute,
    /// for <c>language-x</c>, task lists and highlighting classes; the <c>mailto</c> scheme), and returns both
    /// sides normalized so that they can be compared.
    /// </summary>
    /// <remarks>
    /// Both sides are serialized by AngleSharp (HtmlSanitizer writes through it: <c>&lt;input /&gt;</c> becomes
    /// <c>&lt;input&gt;</c>, <c>&amp;quot;</c> in text becomes <c>"</c>), and a style declaration's final ';' is
    /// dropped (HtmlSanitizer re-serializes CSS through AngleSharp.Css, which drops it). Anything the policy removes
    /// (an element, an attribute, a URL) still shows as a difference.
    /// </remarks>
    public static (string Expected, string Sanitized) SanitizeAndNormalize(string html)
    {
        var sanitizer = new HtmlSanitizer();
        sanitizer.AllowedAttributes.Add("class");
        sanitizer.AllowedSchemes.Add("mailto");
        var sanitized = sanitizer.Sanitize(html);
        return (Normalize(html), Normalize(sanitized));
    }

    private static string Normalize(string html)
    {
        var root = Parse(html);
        foreach (var element in root.QuerySelectorAll("[style]"))
        {
            element.SetAttribute("style", element.GetAttribute("style")!.Trim().TrimEnd(';'));
        }

        return root.InnerHtml;
    }
}
