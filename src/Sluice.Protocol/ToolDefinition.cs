using System.Text.Json;

namespace Sluice.Protocol;

/// <summary>A tool the model may call.</summary>
/// <param name="Name">The tool name the model uses to call it.</param>
/// <param name="Description">What the tool does, for the model.</param>
/// <param name="Parameters">The JSON Schema of its arguments, if any.</param>
public sealed record ToolDefinition(string Name, string? Description = null, JsonElement? Parameters = null);
