using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Json;

/// <summary>A JSON object as far as it has arrived: its properties in input order.</summary>
/// <remarks>
/// A property appears once its name is complete and its value has begun (so never with a half-written name).
/// Duplicate names are kept as they come; the JsonNode view keeps the last.
/// </remarks>
public sealed class PartialJsonObject : PartialJsonNode, IReadOnlyList<KeyValuePair<string, PartialJsonNode>>
{
    private readonly List<KeyValuePair<string, PartialJsonNode>> _properties = [];

    internal PartialJsonObject(PartialJsonNode? parent, string? propertyName, int index)
        : base(parent, propertyName, index)
    {
    }

    /// <inheritdoc />
    public override JsonValueKind Kind => JsonValueKind.Object;

    /// <summary>The number of properties so far.</summary>
    public int Count => _properties.Count;

    /// <summary>The property at <paramref name="index"/>, in input order.</summary>
    /// <param name="index">Zero-based property index.</param>
    public KeyValuePair<string, PartialJsonNode> this[int index] => _properties[index];

    /// <summary>Finds the first property named <paramref name="name"/>.</summary>
    /// <param name="name">The property name (ordinal comparison).</param>
    /// <param name="value">The property's value when found.</param>
    /// <returns>Whether such a property has arrived.</returns>
    public bool TryGetProperty(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PartialJsonNode? value)
    {
        foreach (var property in _properties)
        {
            if (string.Equals(property.Key, name, StringComparison.Ordinal))
            {
                value = property.Value;
                return true;
            }
        }

        value = null;
        return false;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, PartialJsonNode>> GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    internal void Add(string name, PartialJsonNode value) => _properties.Add(new(name, value));

    internal override void WriteValue(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        foreach (var property in _properties)
        {
            writer.WritePropertyName(property.Key);
            property.Value.WriteValue(writer);
        }

        writer.WriteEndObject();
    }

    internal override JsonNode CreateMirror()
    {
        var mirror = new JsonObject();
        foreach (var property in _properties)
        {
            mirror[property.Key] = property.Value.Mirror = property.Value.CreateMirror();
        }

        return mirror;
    }
}
