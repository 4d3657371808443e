using System.Text.RegularExpressions;
using Sluice.Protocol;

namespace Sluice.Providers.OpenAI;

/// <summary>The JSON Schema pieces both OpenAI APIs need from a Sluice request.</summary>
internal static partial class ToolSchemas
{
    // OpenAI requires a parameters object for a function; a tool without one takes no arguments.
    private static readonly BinaryData EmptyObjectSchema = BinaryData.FromString("""{"type":"object","properties":{}}""");

    public static BinaryData Parameters(ToolDefinition tool) =>
        tool.Parameters is { } parameters ? BinaryData.FromString(parameters.GetRawText()) : EmptyObjectSchema;

    /// <summary>The json_schema name: the request's, or <c>response</c>; OpenAI allows only <c>[a-zA-Z0-9_-]{1,64}</c>.</summary>
    /// <exception cref="ArgumentException">The request's name is not one OpenAI accepts.</exception>
    public static string FormatName(ResponseFormat format)
    {
        if (format.Name is null)
        {
            return "response";
        }

        return NamePattern().IsMatch(format.Name)
            ? format.Name
            : throw new ArgumentException("ResponseFormat.Name: OpenAI accepts only letters, digits, '_' and '-', at most 64.", nameof(format));
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$")]
    private static partial Regex NamePattern();
}
