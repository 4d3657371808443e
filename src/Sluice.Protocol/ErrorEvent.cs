using System.Text.Json;

namespace Sluice.Protocol;

/// <summary>Terminal: the stream failed. Everything streamed before it stays valid.</summary>
/// <param name="Code">A stable machine-readable code, e.g. <c>rate_limited</c> or <c>upstream_disconnected</c>.</param>
/// <param name="Message">A human-readable explanation with no secrets or internals.</param>
/// <param name="Retryable">Whether the same request may succeed if sent again.</param>
/// <param name="RetryAfter">How long to wait before sending it again, when the provider said (e.g. HTTP 429 <c>retry-after</c>).</param>
public sealed record ErrorEvent(string Code, string Message, bool Retryable, TimeSpan? RetryAfter = null) : StreamEvent
{
    /// <inheritdoc />
    public override StreamEventType Type => StreamEventType.Error;

    internal override ReadOnlySpan<byte> Utf8TypeName => "error"u8;

    internal override void WriteProperties(Utf8JsonWriter writer)
    {
        writer.WriteString(WireNames.Code, Code);
        writer.WriteString(WireNames.Message, Message);
        writer.WriteBoolean(WireNames.Retryable, Retryable);
        if (RetryAfter is { } retryAfter)
        {
            // Spec (PROTOCOL.md): seconds, as in the HTTP Retry-After header; fractions allowed.
            writer.WriteNumber(WireNames.RetryAfter, retryAfter.TotalSeconds);
        }
    }
}
