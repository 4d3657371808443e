using Markdig;
using Markdig.Extensions.Mathematics;
using Markdig.Renderers;

namespace Sluice.Markdown.Mathematics;

/// <summary>
/// <c>$$</c> fenced math blocks only, rendered as Markdig renders them (<c>&lt;div class="math"&gt;\[…\]&lt;/div&gt;</c>,
/// for KaTeX or MathJax on the page). Adding it twice is harmless.
/// </summary>
/// <remarks>
/// NOTE: Markdig's <c>UseMathematics()</c> also parses inline <c>$…$</c>, which turns prices in prose ("$5 and $10")
/// into math; the issue asks for block math only.
/// </remarks>
internal sealed class MathBlockExtension : IMarkdownExtension
{
    public void Setup(MarkdownPipelineBuilder pipeline)
    {
        if (!pipeline.BlockParsers.Contains<MathBlockParser>())
        {
            // Before the paragraph parser, which would otherwise take the "$$" line as text.
            pipeline.BlockParsers.Insert(0, new MathBlockParser());
        }
    }

    public void Setup(MarkdownPipeline pipeline, IMarkdownRenderer renderer)
    {
        // First: a math block is a fenced code block too, and the first renderer that accepts an object writes it.
        if (renderer is HtmlRenderer html && !html.ObjectRenderers.Contains<HtmlMathBlockRenderer>())
        {
            html.ObjectRenderers.Insert(0, new HtmlMathBlockRenderer());
        }
    }
}
