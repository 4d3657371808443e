namespace Sluice.Protocol;

/// <summary>A tool call the model made in an earlier assistant turn, sent back so the model sees its own call.</summary>
/// <param name="Id">The call id (a later <see cref="MessageRole.Tool"/> message answers it).</param>
/// <param name="Name">The tool name.</param>
/// <param name="Arguments">The arguments as JSON text, as the model produced them.</param>
public sealed record MessageToolCall(string Id, string Name, string Arguments);
