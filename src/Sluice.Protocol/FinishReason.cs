using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Sluice.Protocol;

/// <summary>Why a stream finished, carried by the <c>done</c> event.</summary>
/// <remarks>
/// An open vocabulary (providers add reasons); equality ignores case. Unknown provider reasons pass through
/// unchanged so nothing is lost.
/// </remarks>
[JsonConverter(typeof(FinishReasonJsonConverter))]
public readonly struct FinishReason : IEquatable<FinishReason>
{
    private readonly string? _value;

    /// <summary>Creates a finish reason.</summary>
    /// <param name="value">The wire value, e.g. <c>stop</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null or whitespace.</exception>
    public FinishReason(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value;
    }

    /// <summary>The wire value.</summary>
    public string Value => _value ?? Stop.Value;

    /// <summary>The model finished its answer.</summary>
    public static FinishReason Stop { get; } = new("stop");

    /// <summary>The answer hit the output token limit.</summary>
    public static FinishReason Length { get; } = new("length");

    /// <summary>The model stopped to have tools called.</summary>
    public static FinishReason ToolCalls { get; } = new("tool_calls");

    /// <summary>The provider withheld or cut the answer by its content policy.</summary>
    public static FinishReason ContentFilter { get; } = new("content_filter");

    /// <summary>The run was cancelled (by <c>DELETE</c>, or because nobody re-attached in time).</summary>
    public static FinishReason Cancelled { get; } = new("cancelled");

    /// <inheritdoc />
    public bool Equals(FinishReason other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is FinishReason other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <inheritdoc />
    public override string ToString() => Value;

    /// <summary>Compares two finish reasons, ignoring case.</summary>
    public static bool operator ==(FinishReason left, FinishReason right) => left.Equals(right);

    /// <summary>Compares two finish reasons, ignoring case.</summary>
    public static bool operator !=(FinishReason left, FinishReason right) => !left.Equals(right);

    private sealed class FinishReasonJsonConverter : JsonConverter<FinishReason>
    {
        public override FinishReason Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            new(reader.GetString() ?? throw new JsonException("A finish reason must be a string."));

        public override void Write(Utf8JsonWriter writer, FinishReason value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.Value);
    }
}
