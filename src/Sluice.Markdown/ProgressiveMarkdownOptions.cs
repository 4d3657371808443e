namespace Sluice.Markdown;

/// <summary>What the progressive markdown renderer allows in its output.</summary>
/// <remarks>
/// Raw HTML is always escaped and link URLs are always limited to <c>http</c>, <c>https</c>, <c>mailto</c> and
/// relative ones: model output is untrusted, so those are not options. Records with equal values share one Markdig
/// pipeline.
/// </remarks>
public sealed record ProgressiveMarkdownOptions
{
    /// <summary>The defaults: images on (http, https and relative only), code highlighted.</summary>
    public static ProgressiveMarkdownOptions Default { get; } = new();

    /// <summary>
    /// Whether <c>![alt](url)</c> renders as an image. When off, an image renders as its alt text. Default on.
    /// </summary>
    public bool AllowImages { get; init; } = true;

    /// <summary>
    /// Whether an image may use a <c>data:image/…</c> URL (PNG, JPEG, GIF or WebP; never SVG). Default off, as
    /// HtmlSanitizer's default policy removes them. Has no effect when <see cref="AllowImages"/> is off.
    /// </summary>
    public bool AllowDataImages { get; init; }

    /// <summary>
    /// Whether code blocks in a language ColorCode knows are highlighted, as <c>&lt;span class="…"&gt;</c> elements
    /// (themes are CSS). Default on.
    /// </summary>
    public bool HighlightCode { get; init; } = true;
}
