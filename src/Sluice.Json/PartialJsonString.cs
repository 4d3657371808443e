using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Json;

/// <summary>A JSON string as far as it has arrived, unescaped; it only ever grows.</summary>
/// <remarks>
/// Never holds half an escape (<c>\</c>, <c>\u00</c>) or half a surrogate pair: those characters appear once complete.
/// </remarks>
public sealed class PartialJsonString : PartialJsonNode
{
    private CharBuffer _chars = new(0);
    private string? _string;

    internal PartialJsonString(PartialJsonNode? parent, string? propertyName, int index)
        : base(parent, propertyName, index)
    {
    }

    /// <inheritdoc />
    public override JsonValueKind Kind => JsonValueKind.String;

    /// <summary>The number of UTF-16 code units so far.</summary>
    public int Length => _chars.Length;

    /// <summary>The text so far, without a copy. Valid until the parser is fed again.</summary>
    public ReadOnlySpan<char> AsSpan() => _chars.Span;

    /// <summary>The text so far as a string (allocated once per growth, then cached).</summary>
    public string GetString() => _string ??= new string(_chars.Span);

    internal ref CharBuffer Chars => ref _chars;

    /// <summary>Called after the parser appended to <see cref="Chars"/>.</summary>
    internal void OnGrown() => _string = null;

    internal override void WriteValue(Utf8JsonWriter writer) => writer.WriteStringValue(_chars.Span);

    internal override JsonNode CreateMirror() => JsonValue.Create(GetString());
}
