using System.Text.Json;

namespace Sluice.Protocol;

/// <summary>The first event of every stream.</summary>
/// <param name="StreamId">The stream id, as in the <c>Sluice-Stream-Id</c> header.</param>
/// <param name="Model">The model that answers.</param>
/// <param name="ResumeToken">The secret that proves ownership when resuming anonymously; only sent to the starter.</param>
public sealed record StartEvent(string StreamId, string Model, string? ResumeToken = null) : StreamEvent
{
    /// <inheritdoc />
    public override StreamEventType Type => StreamEventType.Start;

    internal override ReadOnlySpan<byte> Utf8TypeName => "start"u8;

    internal override void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteString(WireNames.StreamId, StreamId);
        writer.WriteString(WireNames.Model, Model);
        if (ResumeToken is not null)
        {
            writer.WriteString(WireNames.ResumeToken, ResumeToken);
        }
    }
}
