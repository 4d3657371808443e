using System.Text.Json;

namespace Sluice.Protocol;

/// <summary>One event of a Sluice stream, without its position (see <see cref="SequencedEvent"/>).</summary>
/// <remarks>
/// The set of event types is closed to this assembly because each type owns its wire encoding; see
/// <c>docs/PROTOCOL.md</c> for the fields of each. Instances are immutable and may be shared between subscribers.
/// </remarks>
public abstract record StreamEvent
{
    private protected StreamEvent()
    {
    }

    /// <summary>The event's type, as written in the SSE <c>event:</c> field and the JSON <c>type</c> property.</summary>
    public abstract StreamEventType Type { get; }

    /// <summary>Whether nothing may follow this event in its stream.</summary>
    public bool IsTerminal => Type.IsTerminal;

    /// <summary>The UTF-8 wire name, so the encoder need not transcode <see cref="Type"/> per frame.</summary>
    internal abstract ReadOnlySpan<byte> Utf8TypeName { get; }

    /// <summary>Writes the type-specific JSON properties (everything after <c>type</c> and <c>seq</c>).</summary>
    internal abstract void WriteProperties(Utf8JsonWriter writer);
}
