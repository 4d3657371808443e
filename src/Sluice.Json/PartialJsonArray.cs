using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Json;

/// <summary>A JSON array as far as it has arrived: an element appears as soon as it has begun.</summary>
public sealed class PartialJsonArray : PartialJsonNode, IReadOnlyList<PartialJsonNode>
{
    private readonly List<PartialJsonNode> _items = [];

    internal PartialJsonArray(PartialJsonNode? parent, string? propertyName, int index)
        : base(parent, propertyName, index)
    {
    }

    /// <inheritdoc />
    public override JsonValueKind Kind => JsonValueKind.Array;

    /// <summary>The number of elements so far.</summary>
    public int Count => _items.Count;

    /// <summary>The element at <paramref name="index"/>.</summary>
    /// <param name="index">Zero-based element index.</param>
    public PartialJsonNode this[int index] => _items[index];

    /// <inheritdoc />
    public IEnumerator<PartialJsonNode> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Add(PartialJsonNode item) => _items.Add(item);

    internal override void WriteValue(Utf8JsonWriter writer)
    {
        writer.WriteStartArray();
        foreach (var item in _items)
        {
            item.WriteValue(writer);
        }

        writer.WriteEndArray();
    }

    internal override JsonNode CreateMirror()
    {
        var mirror = new JsonArray();
        foreach (var item in _items)
        {
            mirror.Add(item.Mirror = item.CreateMirror());
        }

        return mirror;
    }
}
