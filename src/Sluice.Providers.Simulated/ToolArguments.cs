using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sluice.Providers.Simulated;

/// <summary>Makes plausible tool-call arguments from a tool's JSON Schema.</summary>
/// <remarks>
/// Covers the subset of JSON Schema that tool definitions use in practice (<c>type</c>, <c>properties</c>,
/// <c>items</c>, <c>enum</c>, <c>const</c>, numeric bounds); <c>$ref</c> and combinators are not followed.
/// </remarks>
internal static class ToolArguments
{
    private const string DefaultString = "sample text with \"quotes\" and ünïcode";

    // Deep enough for any real tool; stops a self-similar schema from producing unbounded output.
    private const int MaxDepth = 16;

    // Relaxed escaping keeps non-ASCII literal, so the arguments contain multi-byte characters like a model's would.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly Dictionary<string, string> SamplesByName = new(StringComparer.OrdinalIgnoreCase)
    {
        ["city"] = "Paris",
        ["location"] = "Paris, France",
        ["country"] = "France",
        ["name"] = "Ada Lovelace",
        ["email"] = "ada@example.com",
        ["query"] = "streaming LLM output",
        ["q"] = "streaming LLM output",
        ["language"] = "en",
        ["date"] = "2025-06-01",
        ["url"] = "https://example.com",
        ["id"] = "item_123",
        ["timezone"] = "Europe/Paris",
        ["currency"] = "EUR",
    };

    /// <summary>Arguments that match <paramref name="schema"/>, as compact JSON; <c>{}</c> without a schema.</summary>
    public static string Generate(JsonElement? schema)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            if (schema is { ValueKind: JsonValueKind.Object } root)
            {
                WriteObject(writer, root, 0);
            }
            else
            {
                writer.WriteStartObject();
                writer.WriteEndObject();
            }
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonElement schema, string? propertyName, int depth)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            // `true`, `false` or a malformed subschema: any value will do.
            writer.WriteStringValue(SampleString(propertyName, default));
            return;
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            constant.WriteTo(writer);
            return;
        }

        if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0)
        {
            values[0].WriteTo(writer);
            return;
        }

        switch (TypeOf(schema))
        {
            case "object" when depth < MaxDepth:
                WriteObject(writer, schema, depth + 1);
                break;
            case "array" when depth < MaxDepth:
                writer.WriteStartArray();
                if (schema.TryGetProperty("items", out var items))
                {
                    WriteValue(writer, items, propertyName, depth + 1);
                }

                writer.WriteEndArray();
                break;
            case "integer":
                writer.WriteNumberValue((long)Clamp(schema, 42));
                break;
            case "number":
                writer.WriteNumberValue(Clamp(schema, 3.5));
                break;
            case "boolean":
                writer.WriteBooleanValue(true);
                break;
            case "null":
                writer.WriteNullValue();
                break;
            case "object" or "array":
                writer.WriteNullValue();
                break;
            default:
                writer.WriteStringValue(SampleString(propertyName, schema));
                break;
        }
    }

    private static void WriteObject(Utf8JsonWriter writer, JsonElement schema, int depth)
    {
        writer.WriteStartObject();
        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                writer.WritePropertyName(property.Name);
                WriteValue(writer, property.Value, property.Name, depth);
            }
        }

        writer.WriteEndObject();
    }

    /// <summary>The schema's type; the first non-null one of a type list; inferred from its keywords when absent.</summary>
    private static string TypeOf(JsonElement schema)
    {
        if (schema.TryGetProperty("type", out var type))
        {
            if (type.ValueKind == JsonValueKind.String)
            {
                return type.GetString()!;
            }

            if (type.ValueKind == JsonValueKind.Array)
            {
                foreach (var candidate in type.EnumerateArray())
                {
                    if (candidate.ValueKind == JsonValueKind.String && candidate.GetString() is { } name && name != "null")
                    {
                        return name;
                    }
                }
            }
        }

        return schema.TryGetProperty("properties", out _) ? "object"
            : schema.TryGetProperty("items", out _) ? "array"
            : "string";
    }

    private static double Clamp(JsonElement schema, double value)
    {
        if (schema.TryGetProperty("minimum", out var minimum) && minimum.TryGetDouble(out var min) && value < min)
        {
            value = Math.Ceiling(min);
        }

        if (schema.TryGetProperty("maximum", out var maximum) && maximum.TryGetDouble(out var max) && value > max)
        {
            value = Math.Floor(max);
        }

        return value;
    }

    private static string SampleString(string? propertyName, JsonElement schema)
    {
        if (schema.ValueKind == JsonValueKind.Object &&
            schema.TryGetProperty("format", out var format) &&
            format.ValueKind == JsonValueKind.String)
        {
            switch (format.GetString())
            {
                case "date-time":
                    return "2025-06-01T12:00:00Z";
                case "date":
                    return "2025-06-01";
                case "email":
                    return "ada@example.com";
                case "uri":
                    return "https://example.com";
                case "uuid":
                    return "3f2b8c4e-9d1a-4b6f-8e2d-7c5a1b0f9e34";
            }
        }

        return propertyName is not null && SamplesByName.TryGetValue(propertyName, out var sample) ? sample : DefaultString;
    }
}
