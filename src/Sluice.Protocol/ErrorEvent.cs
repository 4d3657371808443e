using System.Text.Json;

namespace Sluice.Protocol;

/// <summary>Terminal: the stream failed. Everything streamed before it stays valid.</summary>
/// <param name="Code">A stable machine-readable code, e.g. <c>provider_error</c> or <c>overloaded_error</c>.</param>
/// <param name="Message">A human-readable explanation with no secrets or internals.</param>
/// <param name="Retryable">Whether the same request may succeed if sent again.</param>
public sealed record ErrorEvent(string Code, string Message, bool Retryable) : StreamEvent
{
    /// <inheritdoc />
    public override StreamEventType Type => StreamEventType.Error;

    internal override ReadOnlySpan<byte> Utf8TypeName => "error"u8;

    internal override void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteString(WireNames.Code, Code);
        writer.WriteString(WireNames.Message, Message);
        writer.WriteBoolean(WireNames.Retryable, Retryable);
    }
}
