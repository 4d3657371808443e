namespace Sluice.Markdown.Safety;

/// <summary>Decides whether a link or image URL may be written: http, https, mailto and relative URLs only.</summary>
internal static class UrlPolicy
{
    /// <summary>Whether <paramref name="url"/> (as Markdig decoded it: entities and escapes resolved) is allowed.</summary>
    public static bool IsAllowed(string? url, bool isImage, bool allowDataImages)
    {
        if (string.IsNullOrEmpty(url))
        {
            return true;
        }

        Span<char> scheme = stackalloc char[16];
        var length = 0;
        var start = true;
        foreach (var c in url)
        {
            // WHATWG URL parsing: leading C0 controls and spaces are stripped and tab/CR/LF are removed anywhere, so
            // " java\tscript:" is a javascript: URL to a browser; both are skipped here as well.
            if ((start && c <= ' ') || c is '\t' or '\n' or '\r')
            {
                continue;
            }

            start = false;
            if (c == ':')
            {
                return length > 0 && IsAllowedScheme(scheme[..length], url, isImage, allowDataImages);
            }

            // A scheme is a letter followed by letters, digits, '+', '-' or '.'; anything else before the first ':'
            // (a '/', '?', '#', a space, …) makes the URL relative, which cannot change the scheme of the page.
            var isSchemeChar = char.IsAsciiLetter(c) || (length > 0 && (char.IsAsciiDigit(c) || c is '+' or '-' or '.'));
            if (!isSchemeChar)
            {
                return true;
            }

            if (length == scheme.Length)
            {
                return false; // no allowed scheme is this long
            }

            scheme[length++] = char.ToLowerInvariant(c);
        }

        return true; // no ':' at all: relative
    }

    private static bool IsAllowedScheme(ReadOnlySpan<char> scheme, string url, bool isImage, bool allowDataImages)
    {
        if (scheme is "http" or "https")
        {
            return true;
        }

        if (scheme is "mailto")
        {
            return !isImage;
        }

        if (scheme is "data" && isImage && allowDataImages)
        {
            // Raster types only: an SVG can carry script (inert in <img>, but not when opened on its own).
            var rest = url.AsSpan(url.IndexOf(':', StringComparison.Ordinal) + 1).TrimStart();
            return rest.StartsWith("image/png", StringComparison.OrdinalIgnoreCase)
                || rest.StartsWith("image/jpeg", StringComparison.OrdinalIgnoreCase)
                || rest.StartsWith("image/gif", StringComparison.OrdinalIgnoreCase)
                || rest.StartsWith("image/webp", StringComparison.OrdinalIgnoreCase);
        }

        return false;
    }
}
