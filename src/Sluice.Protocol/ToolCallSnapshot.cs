namespace Sluice.Protocol;

/// <summary>A tool call as accumulated so far, inside a <see cref="SnapshotEvent"/>.</summary>
/// <param name="Id">The call id.</param>
/// <param name="Name">The tool name.</param>
/// <param name="Index">The call's index in the stream.</param>
/// <param name="Arguments">The argument text received so far (complete when <paramref name="Complete"/>).</param>
/// <param name="Complete">Whether the call's <c>tool_call_end</c> is covered by the snapshot.</param>
/// <param name="Valid">From <c>tool_call_end</c>: whether the arguments are valid; <see langword="null"/> before it.</param>
/// <param name="Errors">From <c>tool_call_end</c>: why the arguments are not valid; <see langword="null"/> when they are.</param>
public sealed record ToolCallSnapshot(string Id, string Name, int Index, string Arguments, bool Complete, bool? Valid = null, IReadOnlyList<string>? Errors = null);
