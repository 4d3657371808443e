using System.Text.Json;

namespace Sluice.Protocol;

/// <summary>
/// Structured output (a request with <c>responseFormat</c>), in two shapes: a fragment of the value's JSON text
/// (<see cref="Delta"/>, optionally with the <see cref="Partial"/> value so far), and one final event
/// (<see cref="IsFinal"/>) with the complete <see cref="Value"/> and its validation result.
/// </summary>
/// <remarks>
/// Concatenating every fragment's <see cref="Delta"/> gives the value's JSON text, as for tool-call arguments; a
/// receiver runs an incremental parser over the fragments (Sluice.Json) for the live value. The final event comes
/// after the last fragment and before <c>done</c> (or <c>error</c>).
/// </remarks>
public sealed record ObjectEvent : StreamEvent
{
    /// <summary>A fragment of the value's JSON text.</summary>
    /// <param name="delta">The raw fragment; it need not be valid JSON on its own.</param>
    /// <param name="partial">The value so far, when the gateway is configured to send it (at most every so often).</param>
    /// <exception cref="ArgumentNullException"><paramref name="delta"/> is <see langword="null"/>.</exception>
    public ObjectEvent(string delta, JsonElement? partial = null)
    {
        ArgumentNullException.ThrowIfNull(delta);
        Delta = delta;
        Partial = partial;
    }

    private ObjectEvent(JsonElement? value, bool valid, IReadOnlyList<string>? errors)
    {
        Delta = string.Empty;
        IsFinal = true;
        Value = value;
        Valid = valid;
        Errors = errors;
    }

    /// <inheritdoc />
    public override StreamEventType Type => StreamEventType.Object;

    /// <summary>The raw fragment of JSON text; empty on the final event.</summary>
    public string Delta { get; }

    /// <summary>The best value so far (open strings, arrays and objects closed), when sent; never on the final event.</summary>
    public JsonElement? Partial { get; }

    /// <summary>Whether this is the final event, carrying <see cref="Value"/>, <see cref="Valid"/> and <see cref="Errors"/>.</summary>
    public bool IsFinal { get; }

    /// <summary>On the final event, the complete value, when the text was JSON at all.</summary>
    public JsonElement? Value { get; }

    /// <summary>On the final event, whether the value is complete JSON that matches the requested schema.</summary>
    public bool? Valid { get; }

    /// <summary>On the final event, why the value is not valid; <see langword="null"/> when it is.</summary>
    public IReadOnlyList<string>? Errors { get; }

    /// <summary>The final event: the complete value and its validation result.</summary>
    /// <param name="value">The complete value, or <see langword="null"/> when the text was not (complete) JSON.</param>
    /// <param name="valid">Whether the value is complete JSON that matches the schema.</param>
    /// <param name="errors">Why it is not valid; omit when it is.</param>
    /// <returns>The final <c>object</c> event.</returns>
    public static ObjectEvent Final(JsonElement? value, bool valid, IReadOnlyList<string>? errors = null) => new(value, valid, errors);

    internal override ReadOnlySpan<byte> Utf8TypeName => "object"u8;

    internal override void WriteProperties(Utf8JsonWriter writer)
    {
        if (!IsFinal)
        {
            writer.WriteString(WireNames.Delta, Delta);
            if (Partial is { } partial)
            {
                writer.WritePropertyName(WireNames.Partial);
                partial.WriteTo(writer);
            }

            return;
        }

        writer.WriteBoolean(WireNames.Final, true);
        if (Value is { } value)
        {
            writer.WritePropertyName(WireNames.Value);
            value.WriteTo(writer);
        }

        writer.WriteBoolean(WireNames.Valid, Valid == true);
        WireNames.WriteErrors(writer, Errors);
    }
}
