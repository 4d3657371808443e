namespace Sluice.Json;

/// <summary>One change to the partial value caused by the last fragment fed, so a UI can update without diffing.</summary>
/// <remarks>
/// Valid until the next call to <c>Feed</c> or <c>Complete</c>: <see cref="AppendedText"/> reads the string's current
/// buffer. Changes are listed in input order, so a node's <see cref="PartialJsonChangeKind.Added"/> comes before any
/// change to its children.
/// </remarks>
public readonly struct PartialJsonChange
{
    private readonly int _appendedFrom;

    internal PartialJsonChange(PartialJsonChangeKind kind, PartialJsonNode node, int appendedFrom = 0)
    {
        Kind = kind;
        Node = node;
        _appendedFrom = appendedFrom;
    }

    /// <summary>What happened.</summary>
    public PartialJsonChangeKind Kind { get; }

    /// <summary>The node it happened to; its <see cref="PartialJsonNode.GetPath"/> says where it sits.</summary>
    public PartialJsonNode Node { get; }

    /// <summary>For <see cref="PartialJsonChangeKind.Appended"/>, the characters added to the string; otherwise empty.</summary>
    public ReadOnlySpan<char> AppendedText =>
        Kind == PartialJsonChangeKind.Appended ? ((PartialJsonString)Node).AsSpan()[_appendedFrom..] : default;

    /// <summary>The change in words, e.g. <c>Appended $.items[3].name "abc"</c>, for logs and tests.</summary>
    public override string ToString() => Kind == PartialJsonChangeKind.Appended
        ? $"{Kind} {Node.GetPath()} \"{AppendedText}\""
        : $"{Kind} {Node.GetPath()}";
}
