using System.Text.Json;

namespace Sluice.Protocol;

/// <summary>
/// Asks for structured output: the answer is one JSON value matching <paramref name="Schema"/>, streamed as
/// <c>object</c> events (each provider maps it to its native structured output, or to a forced tool call).
/// </summary>
/// <param name="Schema">The JSON Schema the value must match.</param>
/// <param name="Name">A name for the schema, for providers that want one; <c>response</c> when omitted.</param>
public sealed record ResponseFormat(JsonElement Schema, string? Name = null);
