using System.Text.Json;

namespace Sluice.Protocol;

/// <summary>Terminal: the stream finished, normally or by cancellation (<see cref="FinishReason.Cancelled"/>).</summary>
/// <param name="FinishReason">Why it finished.</param>
/// <param name="Usage">Token counts; zero where the provider reported none.</param>
public sealed record DoneEvent(FinishReason FinishReason, Usage Usage) : StreamEvent
{
    /// <inheritdoc />
    public override StreamEventType Type => StreamEventType.Done;

    internal override ReadOnlySpan<byte> Utf8TypeName => "done"u8;

    internal override void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteString(WireNames.FinishReason, FinishReason.Value);
        WireNames.WriteUsage(writer, Usage);
    }
}
