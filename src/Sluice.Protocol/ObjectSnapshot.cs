namespace Sluice.Protocol;

/// <summary>Structured output as accumulated so far, inside a <see cref="SnapshotEvent"/>.</summary>
/// <param name="Text">The JSON text received so far (the whole text once <paramref name="Complete"/>).</param>
/// <param name="Complete">Whether the final <c>object</c> event is covered by the snapshot.</param>
/// <param name="Valid">From the final event: whether the value matched the schema; <see langword="null"/> before it.</param>
/// <param name="Errors">From the final event: why the value is not valid; <see langword="null"/> when it is.</param>
public sealed record ObjectSnapshot(string Text, bool Complete, bool? Valid = null, IReadOnlyList<string>? Errors = null);
