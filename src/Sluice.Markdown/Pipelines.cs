using System.Collections.Concurrent;
using Markdig;

namespace Sluice.Markdown;

/// <summary>One Markdig pipeline per distinct options value, built once (pipelines are thread-safe and costly to build).</summary>
internal static class Pipelines
{
    // Bounded in practice: the options are three booleans, so there are at most eight distinct values.
    private static readonly ConcurrentDictionary<ProgressiveMarkdownOptions, MarkdownPipeline> Cache = new();

    public static MarkdownPipeline Get(ProgressiveMarkdownOptions options) =>
        Cache.GetOrAdd(options, static o => new MarkdownPipelineBuilder().UseSluiceMarkdown(o).Build());
}
