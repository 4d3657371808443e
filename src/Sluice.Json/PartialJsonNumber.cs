using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Json;

/// <summary>A JSON number as far as it has arrived.</summary>
/// <remarks>
/// It shows only a prefix that is already a valid number and can only grow by more digits: <c>12</c> shows (and may
/// become <c>123</c>), while <c>-</c>, <c>1.</c>, <c>1e</c> and <c>1e+</c> are withheld until a digit follows
/// (<c>1.5e</c> keeps showing <c>1.5</c>).
/// </remarks>
public sealed class PartialJsonNumber : PartialJsonNode
{
    // Every character scanned so far, of which the first _visibleLength form the number shown.
    private CharBuffer _scanned = new(8);
    private int _visibleLength;
    private string? _text;

    internal PartialJsonNumber(PartialJsonNode? parent, string? propertyName, int index)
        : base(parent, propertyName, index)
    {
    }

    /// <inheritdoc />
    public override JsonValueKind Kind => JsonValueKind.Number;

    /// <summary>The number as written so far (a valid JSON number), e.g. <c>-12.5e3</c>.</summary>
    public string Text => _text ??= new string(AsSpan());

    /// <summary>The number as written so far, without a copy. Valid until the parser is fed again.</summary>
    public ReadOnlySpan<char> AsSpan() => _scanned.Span[.._visibleLength];

    /// <summary>The number as a <see cref="double"/> (rounded where it has more precision).</summary>
    public double GetDouble() => double.Parse(AsSpan(), NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The number as a <see cref="long"/>, when it is an integer in range.</summary>
    /// <param name="value">The value when this returns <see langword="true"/>.</param>
    public bool TryGetInt64(out long value) => long.TryParse(AsSpan(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);

    /// <summary>The number as a <see cref="decimal"/>, when it fits.</summary>
    /// <param name="value">The value when this returns <see langword="true"/>.</param>
    public bool TryGetDecimal(out decimal value) => decimal.TryParse(AsSpan(), NumberStyles.Float, CultureInfo.InvariantCulture, out value);

    internal int VisibleLength => _visibleLength;

    internal void AppendScanned(char c) => _scanned.Append(c);

    /// <summary>Shows everything scanned so far (the scanner calls this only in a state that is a complete number).</summary>
    internal void ShowScanned()
    {
        if (_visibleLength != _scanned.Length)
        {
            _visibleLength = _scanned.Length;
            _text = null;
        }
    }

    internal override void WriteValue(Utf8JsonWriter writer) => writer.WriteRawValue(AsSpan(), skipInputValidation: true);

    // A JsonElement keeps the number exactly as written, as JsonNode.Parse of the whole document would.
    internal override JsonNode CreateMirror() => JsonValue.Create(JsonElement.Parse(Text))!;
}
