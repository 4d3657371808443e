using Markdig;
using Markdig.Renderers;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Sluice.Markdown.Safety;

/// <summary>
/// Unwraps every link, autolink and image whose URL is not allowed (see <see cref="UrlPolicy"/>): its text stays, as
/// plain text, and no <c>href</c>/<c>src</c> is written. Images are unwrapped the same way when they are turned off.
/// </summary>
/// <remarks>
/// A pass over the parsed document (after inline parsing, so reference links are resolved) rather than a filter on the
/// HTML: nothing is written that must be taken out again. Adding it twice is harmless.
/// </remarks>
internal sealed class SafeUrlExtension(bool allowImages, bool allowDataImages) : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        pipeline.DocumentProcessed -= OnDocumentProcessed;
        pipeline.DocumentProcessed += OnDocumentProcessed;
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
    }

    private void OnDocumentProcessed(MarkdownDocument document)
    {
        List<Inline>? unsafeInlines = null;
        foreach (var inline in document.Descendants<Inline>())
        {
            var allowed = inline switch
            {
                LinkInline { IsImage: true } image => allowImages && UrlPolicy.IsAllowed(image.Url, isImage: true, allowDataImages),
                LinkInline link => UrlPolicy.IsAllowed(link.Url, isImage: false, allowDataImages: false),
                AutolinkInline autolink => UrlPolicy.IsAllowed(autolink.Url, isImage: false, allowDataImages: false),
                _ => true,
            };
            if (!allowed)
            {
                (unsafeInlines ??= []).Add(inline);
            }
        }

        // Replaced after the walk: the walk must not see the tree change under it.
        if (unsafeInlines is null)
        {
            return;
        }

        foreach (var inline in unsafeInlines)
        {
            Unwrap(inline);
        }
    }

    private static void Unwrap(Inline inline)
    {
        if (inline is AutolinkInline autolink)
        {
            autolink.ReplaceBy(new LiteralInline(autolink.Url));
            return;
        }

        var container = (ContainerInline)inline;
        while (container.FirstChild is { } child)
        {
            child.Remove();
            container.InsertBefore(child);
        }

        container.Remove();
    }
}
