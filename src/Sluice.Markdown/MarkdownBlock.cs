namespace Sluice.Markdown;

/// <summary>One top-level block of the document being rendered, as a UI shows it.</summary>
/// <param name="Key">
/// The block's position in the document (0, 1, 2, …), stable while the block exists: a keyed UI list can use it as the
/// key. A block that is removed (the open tail can merge, say a paragraph line that turned out to continue the
/// previous block) frees its key, and a later block may take it again.
/// </param>
/// <param name="Kind">What the block is.</param>
/// <param name="Html">
/// The block's HTML, sanitized: a fragment that can be inserted as it is. The document's HTML is the concatenation of
/// its blocks' HTML in key order.
/// </param>
/// <param name="IsSettled">
/// Whether the block can no longer change. A settled block is reported once and its HTML never changes again.
/// </param>
/// <param name="Language">For a code block, the first word of its info string (<c>python</c>); otherwise null.</param>
/// <param name="Code">
/// For a code or math block, the raw text as written, for a copy button (with a trailing newline per line); otherwise
/// null.
/// </param>
public sealed record MarkdownBlock(int Key, MarkdownBlockKind Kind, string Html, bool IsSettled, string? Language = null, string? Code = null);
