using Markdig.Extensions.Mathematics;
using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace Sluice.Markdown.Blocks;

/// <summary>Maps Markdig's top-level block types to <see cref="MarkdownBlockKind"/>.</summary>
internal static class BlockKinds
{
    public static MarkdownBlockKind Of(Block block) => block switch
    {
        ParagraphBlock => MarkdownBlockKind.Paragraph,
        HeadingBlock => MarkdownBlockKind.Heading,
        MathBlock => MarkdownBlockKind.Math,
        CodeBlock => MarkdownBlockKind.Code,
        ListBlock => MarkdownBlockKind.List,
        QuoteBlock => MarkdownBlockKind.Quote,
        Table => MarkdownBlockKind.Table,
        ThematicBreakBlock => MarkdownBlockKind.ThematicBreak,
        _ => MarkdownBlockKind.Other,
    };

    /// <summary>Whether a top-level block writes nothing (link reference definitions) and is left out of the list.</summary>
    public static bool IsInvisible(Block block) => block is LinkReferenceDefinitionGroup;
}
