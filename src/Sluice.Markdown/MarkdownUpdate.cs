namespace Sluice.Markdown;

/// <summary>What one delta changed in the rendered document: apply it to a keyed block list, no diffing needed.</summary>
/// <remarks>
/// Apply in this order: remove <see cref="Removed"/>, replace <see cref="Changed"/>, append <see cref="Added"/>. Keys
/// in <see cref="Removed"/> are always the highest ones, and <see cref="Added"/> blocks always follow every existing
/// block, in key order. <see cref="Settled"/> only says which blocks will never change again: a UI may drop what it
/// tracks for them. A settled block whose HTML also changed at this delta is in <see cref="Changed"/> or
/// <see cref="Added"/> as well.
/// </remarks>
public sealed class MarkdownUpdate
{
    internal static MarkdownUpdate Empty { get; } = new([], [], [], []);

    internal MarkdownUpdate(IReadOnlyList<MarkdownBlock> added, IReadOnlyList<MarkdownBlock> changed, IReadOnlyList<int> removed, IReadOnlyList<int> settled)
    {
        Added = added;
        Changed = changed;
        Removed = removed;
        Settled = settled;
    }

    /// <summary>New blocks, appended after every existing block, in key order.</summary>
    public IReadOnlyList<MarkdownBlock> Added { get; }

    /// <summary>Existing blocks whose HTML (or kind, language or settled flag) changed.</summary>
    public IReadOnlyList<MarkdownBlock> Changed { get; }

    /// <summary>Keys of blocks that no longer exist (always the last ones).</summary>
    public IReadOnlyList<int> Removed { get; }

    /// <summary>Keys of blocks that became settled at this delta.</summary>
    public IReadOnlyList<int> Settled { get; }

    /// <summary>Whether nothing visible changed (the delta was held back, for instance half a list marker).</summary>
    public bool IsEmpty => Added.Count == 0 && Changed.Count == 0 && Removed.Count == 0 && Settled.Count == 0;
}
