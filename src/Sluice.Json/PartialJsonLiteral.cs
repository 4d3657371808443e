using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Json;

/// <summary><c>true</c>, <c>false</c> or <c>null</c>: appears only when complete (<c>tru</c> and <c>nul</c> are withheld).</summary>
public sealed class PartialJsonLiteral : PartialJsonNode
{
    internal PartialJsonLiteral(PartialJsonNode? parent, string? propertyName, int index, JsonValueKind kind)
        : base(parent, propertyName, index)
    {
        Kind = kind;
        IsComplete = true;
    }

    /// <inheritdoc />
    public override JsonValueKind Kind { get; }

    internal override void WriteValue(Utf8JsonWriter writer)
    {
        switch (Kind)
        {
            case JsonValueKind.True:
                writer.WriteBooleanValue(true);
                break;
            case JsonValueKind.False:
                writer.WriteBooleanValue(false);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    internal override JsonNode? CreateMirror() => Kind switch
    {
        JsonValueKind.True => JsonValue.Create(true),
        JsonValueKind.False => JsonValue.Create(false),
        _ => null,
    };
}
