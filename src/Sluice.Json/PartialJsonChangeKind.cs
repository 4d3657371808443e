namespace Sluice.Json;

/// <summary>What happened to a node during one <see cref="PartialJsonParser.Feed(ReadOnlySpan{byte})"/>.</summary>
public enum PartialJsonChangeKind
{
    /// <summary>The node appeared: the root, a property of an object (its name complete, its value begun) or an element of an array.</summary>
    Added,

    /// <summary>A string that was already there grew; <see cref="PartialJsonChange.AppendedText"/> is the new text.</summary>
    Appended,

    /// <summary>A number that was already there grew by digits (<c>12</c> became <c>123</c>).</summary>
    Updated,

    /// <summary>A string, number, array or object reached its end and will not change again.</summary>
    Completed,
}
