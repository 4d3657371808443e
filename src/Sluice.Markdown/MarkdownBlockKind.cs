namespace Sluice.Markdown;

/// <summary>What a top-level block is, so that a UI can choose a component for it without parsing its HTML.</summary>
public enum MarkdownBlockKind
{
    /// <summary>A paragraph.</summary>
    Paragraph,

    /// <summary>An ATX (<c>#</c>) or setext heading.</summary>
    Heading,

    /// <summary>A fenced or indented code block; <see cref="MarkdownBlock.Code"/> holds its raw text.</summary>
    Code,

    /// <summary>A <c>$$</c> math block; <see cref="MarkdownBlock.Code"/> holds its TeX source.</summary>
    Math,

    /// <summary>A bulleted, numbered or task list.</summary>
    List,

    /// <summary>A block quote.</summary>
    Quote,

    /// <summary>A pipe table.</summary>
    Table,

    /// <summary>A thematic break (<c>---</c>).</summary>
    ThematicBreak,

    /// <summary>Anything else Markdig produces at the top level.</summary>
    Other,
}
