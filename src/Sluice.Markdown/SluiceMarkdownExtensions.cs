using Markdig;
using Markdig.Extensions.EmphasisExtras;
using Sluice.Markdown.Highlighting;
using Sluice.Markdown.Mathematics;
using Sluice.Markdown.Safety;

namespace Sluice.Markdown;

/// <summary>Builds the Markdig pipeline the progressive renderer uses, for rendering a whole document the same way.</summary>
public static class SluiceMarkdownExtensions
{
    /// <summary>
    /// Adds Sluice's markdown dialect and policy: CommonMark plus pipe tables, task lists, strikethrough, autolinks and
    /// <c>$$</c> math blocks; raw HTML escaped; link and image URLs limited (see <see cref="ProgressiveMarkdownOptions"/>);
    /// code blocks highlighted with ColorCode classes.
    /// </summary>
    /// <param name="pipeline">The builder.</param>
    /// <param name="options">The options; <see cref="ProgressiveMarkdownOptions.Default"/> when null.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// Calling it twice is harmless; the options of the first call win. A server pre-rendering a complete answer gets
    /// the same HTML from <c>Markdown.ToHtml(text, pipeline)</c> as a <see cref="ProgressiveMarkdownRenderer"/> with the
    /// same options produces once completed.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="pipeline"/> is null.</exception>
    public static MarkdownPipelineBuilder UseSluiceMarkdown(this MarkdownPipelineBuilder pipeline, ProgressiveMarkdownOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        options ??= ProgressiveMarkdownOptions.Default;

        pipeline
            .UsePipeTables()
            .UseTaskLists()
            .UseEmphasisExtras(EmphasisExtraOptions.Strikethrough)
            .UseAutoLinks()
            .DisableHtml(); // raw HTML is escaped: model output is never trusted as markup
        pipeline.Extensions.AddIfNotAlready(new MathBlockExtension());
        pipeline.Extensions.AddIfNotAlready(new SafeUrlExtension(options.AllowImages, options.AllowDataImages));
        pipeline.Extensions.AddIfNotAlready(new HighlightingExtension(options.HighlightCode));
        return pipeline;
    }
}
