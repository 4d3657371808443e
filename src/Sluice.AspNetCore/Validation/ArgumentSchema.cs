using System.Text.Json;
using Json.Schema;

namespace Sluice.AspNetCore.Validation;

/// <summary>A compiled JSON Schema for a tool's arguments or a structured output, and the check of a value against it.</summary>
/// <remarks>Built with JsonSchema.Net; immutable and thread-safe once created.</remarks>
internal sealed class ArgumentSchema
{
    private readonly JsonSchema _schema;

    private ArgumentSchema(JsonSchema schema) => _schema = schema;

    /// <summary>Compiles a schema sent in a request.</summary>
    /// <returns>The schema, or <see langword="null"/> with <paramref name="error"/> saying why it is not a usable schema.</returns>
    public static ArgumentSchema? TryCreate(JsonElement schema, out string? error)
    {
        try
        {
            error = null;
            return new ArgumentSchema(JsonSchema.FromText(schema.GetRawText()));
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException or JsonSchemaException)
        {
            error = $"Not a usable JSON Schema: {ex.Message}";
            return null;
        }
    }

    /// <summary>Checks a value; returns why it does not match (one line per failed keyword), or an empty list.</summary>
    public IReadOnlyList<string> Check(JsonElement value)
    {
        EvaluationResults results;
        try
        {
            // A fresh options object per check: the schema registry it holds is then never shared between requests.
            results = _schema.Evaluate(value, new EvaluationOptions { OutputFormat = OutputFormat.List });
        }
        catch (Exception ex) when (ex is JsonSchemaException or InvalidOperationException or ArgumentException or JsonException)
        {
            // E.g. a $ref to a document nobody supplied: the schema cannot judge, so the value is not called valid.
            return [$"The schema could not be evaluated: {ex.Message}"];
        }

        if (results.IsValid)
        {
            return [];
        }

        var errors = new List<string>();
        Collect(results, errors);
        return errors.Count > 0 ? errors : ["The value does not match the schema."];
    }

    private static void Collect(EvaluationResults results, List<string> errors)
    {
        if (results.Errors is { } keywordErrors)
        {
            foreach (var (keyword, message) in keywordErrors)
            {
                errors.Add($"{Path(results.InstanceLocation.ToString())}: {message} ({keyword})");
            }
        }

        if (results.Details is { } details)
        {
            foreach (var detail in details)
            {
                Collect(detail, errors);
            }
        }
    }

    // "/days/0/city" → "$.days[0].city", the notation of PartialJsonNode paths.
    private static string Path(string pointer)
    {
        if (pointer.Length == 0)
        {
            return "$";
        }

        var path = new System.Text.StringBuilder("$");
        foreach (var segment in pointer.TrimStart('/').Split('/'))
        {
            var name = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            if (name.Length > 0 && name.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0)
            {
                path.Append('[').Append(name).Append(']');
            }
            else
            {
                path.Append('.').Append(name);
            }
        }

        return path.ToString();
    }
}
