using System.Diagnostics.CodeAnalysis;

namespace Sluice.Protocol;

/// <summary>
/// The name of a Sluice event type as it appears in the SSE <c>event:</c> field and the JSON <c>type</c> property.
/// </summary>
/// <remarks>
/// An open vocabulary: a client must ignore event types it does not know, so later protocol versions can add
/// types without breaking it. Comparison is ordinal and case-sensitive because the wire names are fixed lowercase.
/// </remarks>
public readonly struct StreamEventType : IEquatable<StreamEventType>
{
    /// <summary>Creates an event type with the given wire name.</summary>
    /// <param name="name">The wire name, e.g. <c>token</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is null or empty.</exception>
    public StreamEventType(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        _name = name;
    }

    private readonly string? _name;

    /// <summary>The wire name.</summary>
    public string Name => _name ?? string.Empty;

    /// <summary><c>start</c>: the first event of every stream.</summary>
    public static StreamEventType Start { get; } = new("start");

    /// <summary><c>token</c>: a piece of answer text.</summary>
    public static StreamEventType Token { get; } = new("token");

    /// <summary><c>reasoning</c>: a piece of the model's reasoning text.</summary>
    public static StreamEventType Reasoning { get; } = new("reasoning");

    /// <summary><c>tool_call_start</c>: a tool call begins.</summary>
    public static StreamEventType ToolCallStart { get; } = new("tool_call_start");

    /// <summary><c>tool_call_delta</c>: a fragment of a tool call's JSON arguments.</summary>
    public static StreamEventType ToolCallDelta { get; } = new("tool_call_delta");

    /// <summary><c>tool_call_end</c>: a tool call's arguments are complete.</summary>
    public static StreamEventType ToolCallEnd { get; } = new("tool_call_end");

    /// <summary><c>object</c>: the current partial value in structured-output mode.</summary>
    public static StreamEventType Object { get; } = new("object");

    /// <summary><c>snapshot</c>: the whole accumulated state, sent in place of events the replay log no longer holds.</summary>
    public static StreamEventType Snapshot { get; } = new("snapshot");

    /// <summary><c>error</c>: terminal; the stream failed.</summary>
    public static StreamEventType Error { get; } = new("error");

    /// <summary><c>done</c>: terminal; the stream finished (also when cancelled).</summary>
    public static StreamEventType Done { get; } = new("done");

    /// <summary>Whether this type ends a stream: nothing follows a terminal event.</summary>
    public bool IsTerminal => Equals(Error) || Equals(Done);

    /// <inheritdoc />
    public bool Equals(StreamEventType other) => string.Equals(Name, other.Name, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is StreamEventType other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Name);

    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Compares two event types by wire name.</summary>
    public static bool operator ==(StreamEventType left, StreamEventType right) => left.Equals(right);

    /// <summary>Compares two event types by wire name.</summary>
    public static bool operator !=(StreamEventType left, StreamEventType right) => !left.Equals(right);
}
