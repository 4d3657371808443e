using System.Text;

namespace Sluice.Protocol;

/// <summary>One tool call as a <see cref="StreamAccumulator"/> has accumulated it so far.</summary>
/// <remarks>
/// A live view: the accumulator that owns it updates it in place as later events arrive (and replaces it with a new
/// instance when a <see cref="SnapshotEvent"/> is applied). Like the accumulator, it is not thread-safe.
/// </remarks>
public sealed class ToolCallState
{
    // Fragments are appended to a builder so that a long argument text costs O(n) in total, not O(n²); the string is
    // made on demand (see Arguments) or set once by tool_call_end, which is authoritative.
    private StringBuilder? _fragments = new();
    private string? _arguments;

    internal ToolCallState(string id, string name, int index)
    {
        Id = id;
        Name = name;
        Index = index;
    }

    /// <summary>The call id, unique within the stream.</summary>
    public string Id { get; }

    /// <summary>The tool name.</summary>
    public string Name { get; }

    /// <summary>The call's index in the stream (0, 1, … in start order).</summary>
    public int Index { get; }

    /// <summary>
    /// The arguments' JSON text so far: the <c>tool_call_delta</c> fragments concatenated, or, once the call is
    /// <see cref="Complete"/>, the complete text from <c>tool_call_end</c>.
    /// </summary>
    /// <remarks>While the call is incomplete each read builds a new string from the fragments (O(length)).</remarks>
    public string Arguments => _arguments ?? _fragments?.ToString() ?? string.Empty;

    /// <summary>Whether the call's <c>tool_call_end</c> has been applied (or a snapshot said the call is complete).</summary>
    public bool Complete { get; private set; }

    /// <summary>
    /// Whether the arguments are valid, from <c>tool_call_end</c> (or a snapshot that covers it); <see langword="null"/>
    /// while the call is incomplete.
    /// </summary>
    public bool? Valid { get; private set; }

    /// <summary>Why the arguments are not valid, from <c>tool_call_end</c>; <see langword="null"/> when none were sent.</summary>
    public IReadOnlyList<string>? Errors { get; private set; }

    internal static ToolCallState FromSnapshot(ToolCallSnapshot snapshot)
    {
        var state = new ToolCallState(snapshot.Id, snapshot.Name, snapshot.Index);
        if (snapshot.Complete)
        {
            state._arguments = snapshot.Arguments;
            state._fragments = null;
            state.Complete = true;
            state.Valid = snapshot.Valid;
            state.Errors = snapshot.Errors;
        }
        else
        {
            state._fragments!.Append(snapshot.Arguments);
        }

        return state;
    }

    internal void AppendFragment(string delta) => _fragments!.Append(delta);

    internal void End(ToolCallEndEvent end)
    {
        _arguments = end.Arguments;
        Complete = true;
        Valid = end.Valid;
        Errors = end.Errors;

        // The fragments are superseded by the authoritative text; keeping them would double the call's memory.
        _fragments = null;
    }

    internal ToolCallSnapshot ToSnapshot() => new(Id, Name, Index, Arguments, Complete, Valid, Errors);
}
