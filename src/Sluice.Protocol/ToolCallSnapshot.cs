namespace Sluice.Protocol;

/// <summary>A tool call as accumulated so far, inside a <see cref="SnapshotEvent"/>.</summary>
/// <param name="Id">The call id.</param>
/// <param name="Name">The tool name.</param>
/// <param name="Index">The call's index in the stream.</param>
/// <param name="Arguments">The argument text received so far (complete when <paramref name="Complete"/>).</param>
/// <param name="Complete">Whether the call's <c>tool_call_end</c> is covered by the snapshot.</param>
public sealed record ToolCallSnapshot(string Id, string Name, int Index, string Arguments, bool Complete);
