using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Json;

/// <summary>
/// A value in the partial document a <see cref="PartialJsonParser"/> builds: read-only for its users, grown in place by
/// the parser as fragments arrive.
/// </summary>
/// <remarks>
/// <para>
/// NOTE: a tree of our own rather than <see cref="JsonNode"/>: a <see cref="JsonValue"/> holding a string cannot grow, so
/// every fragment inside a long string would copy it whole (quadratic), and a JsonNode has no notion of "not finished
/// yet". Here a string grows in place, is lent as a span, and every node says whether it is complete.
/// <see cref="PartialJsonParser.GetJsonNode"/> offers the JsonNode view as well, kept up to date incrementally.
/// </para>
/// <para>Not thread-safe: read it between calls to the parser, on the thread that feeds it.</para>
/// </remarks>
public abstract class PartialJsonNode
{
    // Readable text for logs and tests: non-ASCII stays as it is (the value is not embedded in HTML here).
    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = true,
    };

    private protected PartialJsonNode(PartialJsonNode? parent, string? propertyName, int index)
    {
        Parent = parent;
        PropertyName = propertyName;
        Index = index;
    }

    /// <summary>The kind of value: object, array, string, number, true, false or null.</summary>
    public abstract JsonValueKind Kind { get; }

    /// <summary>Whether the value has ended and will not change again.</summary>
    public bool IsComplete { get; internal set; }

    /// <summary>The object or array holding this value; <see langword="null"/> for the root.</summary>
    public PartialJsonNode? Parent { get; }

    /// <summary>The property name when the parent is an object; otherwise <see langword="null"/>.</summary>
    public string? PropertyName { get; }

    /// <summary>The position in the parent: element index in an array, property index in an object; 0 for the root.</summary>
    public int Index { get; }

    /// <summary>The JsonNode mirror of this value, once <see cref="PartialJsonParser.GetJsonNode"/> has been asked for.</summary>
    internal JsonNode? Mirror { get; set; }

    /// <summary>The feed in which the node appeared: changes to it in that same feed are part of its <c>Added</c>.</summary>
    internal int AddedInFeed { get; set; } = -1;

    /// <summary>The path from the root, e.g. <c>$.items[3].name</c> (names that are not identifiers as <c>$['a b']</c>).</summary>
    public string GetPath()
    {
        var builder = new StringBuilder();
        AppendPath(builder);
        return builder.ToString();
    }

    /// <summary>Writes the value as it stands: open strings, arrays and objects are closed, withheld parts left out.</summary>
    /// <param name="writer">The writer to write to.</param>
    /// <exception cref="ArgumentNullException"><paramref name="writer"/> is <see langword="null"/>.</exception>
    public void WriteTo(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        WriteValue(writer);
    }

    /// <summary>The value as it stands, as compact JSON text.</summary>
    public string ToJsonString()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, s_writerOptions))
        {
            WriteValue(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <inheritdoc />
    public override string ToString() => ToJsonString();

    internal abstract void WriteValue(Utf8JsonWriter writer);

    /// <summary>A new JsonNode holding this value as it stands (children included).</summary>
    internal abstract JsonNode? CreateMirror();

    private void AppendPath(StringBuilder builder)
    {
        if (Parent is null)
        {
            builder.Append('$');
            return;
        }

        Parent.AppendPath(builder);
        if (PropertyName is null)
        {
            builder.Append('[').Append(Index.ToString(CultureInfo.InvariantCulture)).Append(']');
        }
        else if (IsIdentifier(PropertyName))
        {
            builder.Append('.').Append(PropertyName);
        }
        else
        {
            builder.Append("['").Append(PropertyName.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "\\'", StringComparison.Ordinal)).Append("']");
        }
    }

    private static bool IsIdentifier(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }
}
