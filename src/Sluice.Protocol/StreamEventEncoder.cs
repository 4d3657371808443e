using System.Buffers;
using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sluice.Protocol;

/// <summary>
/// Writes Sluice events as SSE frames (<c>id</c>, <c>event</c>, one <c>data</c> line of JSON) into an
/// <see cref="IBufferWriter{T}"/>, without allocating per frame.
/// </summary>
/// <remarks>
/// Not thread-safe: use one encoder per writer (per subscriber). Framing cannot be broken by content: the JSON is
/// written on one line and every control character (CR, LF, NUL, …) inside strings is escaped by
/// <see cref="Utf8JsonWriter"/>; a lone surrogate becomes U+FFFD.
/// </remarks>
public sealed class StreamEventEncoder
{
    // NOTE: the relaxed encoder keeps non-ASCII text readable and small. The output is an SSE data line, never
    // embedded in HTML, so HTML-sensitive characters need no escaping; control characters are still escaped.
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
#if !DEBUG
        SkipValidation = true,
#endif
    };

    private Utf8JsonWriter? _json;

    /// <summary>Writes one event as a complete SSE frame, ending with the blank line that dispatches it.</summary>
    /// <param name="output">Where the frame goes.</param>
    /// <param name="sequencedEvent">The event and its seq.</param>
    /// <param name="retry">When set, a <c>retry:</c> field asking the client to wait this long before reconnecting.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> or the event is null.</exception>
    public void Write(IBufferWriter<byte> output, SequencedEvent sequencedEvent, TimeSpan? retry = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        var evt = sequencedEvent.Event ?? throw new ArgumentNullException(nameof(sequencedEvent));

        if (retry is { } interval)
        {
            WriteLiteral(output, "retry: "u8);
            WriteNumber(output, (long)interval.TotalMilliseconds);
            WriteLiteral(output, "\n"u8);
        }

        // Spec: "If the field name is 'id' ... set the last event ID buffer to the field value."
        WriteLiteral(output, "id: "u8);
        WriteNumber(output, sequencedEvent.Seq);
        WriteLiteral(output, "\nevent: "u8);
        WriteLiteral(output, evt.Utf8TypeName);
        WriteLiteral(output, "\ndata: "u8);

        // The writer is created on the first frame so that it binds to a real output; later frames only Reset it.
        var json = _json ??= new Utf8JsonWriter(output, JsonOptions);
        json.Reset(output);
        json.WriteStartObject();
        json.WriteString(WireNames.Type, evt.Utf8TypeName); // UTF-8 already: no transcoding per frame
        json.WriteNumber(WireNames.Seq, sequencedEvent.Seq);
        if (sequencedEvent.FirstSeq != sequencedEvent.Seq)
        {
            json.WriteNumber(WireNames.From, sequencedEvent.FirstSeq); // A coalesced event: it covers from..seq.
        }

        evt.WriteProperties(json);
        json.WriteEndObject();
        json.Flush();

        // Spec: "If the line is empty (a blank line) Dispatch the event."
        WriteLiteral(output, "\n\n"u8);
    }

    /// <summary>Writes an SSE comment line (ignored by every SSE parser), used as a heartbeat.</summary>
    /// <param name="output">Where the comment goes.</param>
    /// <param name="text">The comment; CR and LF are replaced by spaces so it stays one line.</param>
    /// <exception cref="ArgumentNullException"><paramref name="output"/> is null.</exception>
    public static void WriteComment(IBufferWriter<byte> output, ReadOnlySpan<char> text)
    {
        ArgumentNullException.ThrowIfNull(output);
        WriteLiteral(output, ": "u8);
        var maxBytes = System.Text.Encoding.UTF8.GetMaxByteCount(text.Length);
        var span = output.GetSpan(maxBytes);
        var written = System.Text.Encoding.UTF8.GetBytes(text, span);
        foreach (ref var b in span[..written])
        {
            if (b is (byte)'\r' or (byte)'\n')
            {
                b = (byte)' ';
            }
        }

        output.Advance(written);
        WriteLiteral(output, "\n\n"u8);
    }

    private static void WriteLiteral(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        var span = output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        output.Advance(bytes.Length);
    }

    private static void WriteNumber(IBufferWriter<byte> output, long value)
    {
        const int MaxInt64Digits = 20;
        var span = output.GetSpan(MaxInt64Digits);
        var formatted = value.TryFormat(span, out var written, provider: System.Globalization.CultureInfo.InvariantCulture);
        Debug.Assert(formatted, "20 bytes hold any Int64.");
        output.Advance(written);
    }
}
