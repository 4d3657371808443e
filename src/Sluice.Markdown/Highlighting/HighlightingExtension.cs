using Markdig;
using Markdig.Renderers;
using Markdig.Renderers.Html;

namespace Sluice.Markdown.Highlighting;

/// <summary>Replaces Markdig's code block renderer by <see cref="HighlightedCodeBlockRenderer"/>; adding it twice is harmless.</summary>
internal sealed class HighlightingExtension(bool highlight) : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        if (renderer is not HtmlRenderer html || html.ObjectRenderers.Contains<HighlightedCodeBlockRenderer>())
        {
            return;
        }

        var replacement = new HighlightedCodeBlockRenderer(highlight);
        if (!html.ObjectRenderers.Replace<CodeBlockRenderer>(replacement))
        {
            html.ObjectRenderers.Add(replacement);
        }
    }
}
