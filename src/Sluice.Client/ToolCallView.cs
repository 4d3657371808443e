using System.Text.Json.Nodes;
using Sluice.Json;
using Sluice.Protocol;

namespace Sluice.Client;

/// <summary>One tool call of a <see cref="MessageState"/>: what the stream said about it, plus its arguments parsed so far.</summary>
/// <remarks>A live view, updated in place as events arrive; not thread-safe (like the state that owns it).</remarks>
public sealed class ToolCallView
{
    private PartialJsonParser _parser = new();

    internal ToolCallView(ToolCallState state)
    {
        State = state;

        // A call rebuilt from a snapshot arrives with its arguments so far: parse them once, then go on incrementally.
        if (state.Arguments.Length > 0)
        {
            _parser.Feed(state.Arguments.AsSpan());
        }
    }

    /// <summary>The call as the protocol accumulates it: id, name, index, argument text, completion and validity.</summary>
    public ToolCallState State { get; }

    /// <summary>The call id.</summary>
    public string Id => State.Id;

    /// <summary>The tool name.</summary>
    public string Name => State.Name;

    /// <summary>The arguments' JSON text so far.</summary>
    public string Arguments => State.Arguments;

    /// <summary>Whether <c>tool_call_end</c> has arrived.</summary>
    public bool Complete => State.Complete;

    /// <summary>
    /// The arguments as far as they can be read now (an open string shows its content so far), or <see langword="null"/>
    /// before the value has begun. The node is updated in place by later fragments: do not modify it.
    /// </summary>
    /// <remarks>Invalid JSON stops the parse; <see cref="ParseError"/> then says where.</remarks>
    public JsonNode? PartialArguments => _parser.GetJsonNode();

    /// <summary>Where the argument text stopped being JSON, if it did; <see langword="null"/> while it is valid so far.</summary>
    public PartialJsonError? ParseError => _parser.Error;

    internal void Append(string fragment) => _parser.Feed(fragment.AsSpan());

    /// <summary>The call ended: its final argument text is authoritative (an argument-less call ends with <c>{}</c>).</summary>
    internal void End()
    {
        if (_parser.BytesConsumed == 0 && State.Arguments.Length > 0)
        {
            _parser = new PartialJsonParser();
            _parser.Feed(State.Arguments.AsSpan());
        }

        _parser.Complete();
    }
}
