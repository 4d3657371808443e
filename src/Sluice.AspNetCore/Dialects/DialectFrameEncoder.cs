using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Sluice.AspNetCore.Dialects;

/// <summary>
/// Writes the SSE frames of a dialect: <c>id: &lt;seq&gt;</c> and one <c>data:</c> line of JSON, LF line ends only,
/// straight into the response with one reused <see cref="Utf8JsonWriter"/>.
/// </summary>
/// <remarks>
/// LF only: the AG-UI 1.0 client splits frames on <c>"\n\n"</c> and would never see a frame ended with CRLF. The JSON
/// is one line (control characters inside strings are escaped), so content cannot end a frame early. One instance per
/// response; not thread-safe.
/// </remarks>
internal sealed class DialectFrameEncoder
{
    // The relaxed encoder keeps non-ASCII readable; the output is an SSE data line, never embedded in HTML.
    private static readonly JsonWriterOptions JsonOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
#if !DEBUG
        SkipValidation = true,
#endif
    };

    private Utf8JsonWriter? _json;

    /// <summary>The JSON writer of the frame being written (valid between <see cref="BeginFrame"/> and <see cref="EndFrame"/>).</summary>
    public Utf8JsonWriter Json => _json ?? throw new InvalidOperationException("No frame has been started.");

    /// <summary>
    /// Starts a frame (<c>id:</c>, then <c>data: </c>) and returns the JSON writer for its one value; the caller writes the
    /// value and calls <see cref="EndFrame"/>.
    /// </summary>
    /// <param name="output">The response body.</param>
    /// <param name="seq">
    /// The SSE id: the seq of the Sluice event the frame encodes (the last one, when coalesced); <see langword="null"/>
    /// for a frame that belongs to no event (it then leaves the client's last event id as it is).
    /// </param>
    public Utf8JsonWriter BeginFrame(IBufferWriter<byte> output, long? seq)
    {
        if (seq is { } id)
        {
            WriteLiteral(output, "id: "u8);
            var span = output.GetSpan(20);
            var formatted = id.TryFormat(span, out var written, provider: CultureInfo.InvariantCulture);
            Debug.Assert(formatted, "20 bytes hold any Int64.");
            output.Advance(written);
            WriteLiteral(output, "\n"u8);
        }

        WriteLiteral(output, "data: "u8);

        // Created on the first frame so that it binds to a real output; later frames only Reset it.
        var json = _json ??= new Utf8JsonWriter(output, JsonOptions);
        json.Reset(output);
        return json;
    }

    /// <summary>Ends the frame started by <see cref="BeginFrame"/>: flushes the JSON and writes the blank line that dispatches it.</summary>
    public void EndFrame(IBufferWriter<byte> output)
    {
        _json!.Flush();
        WriteLiteral(output, "\n\n"u8);
    }

    /// <summary>Writes bytes as they are (a comment, <c>data: [DONE]</c>); the caller supplies the line ends.</summary>
    public static void WriteLiteral(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        var span = output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        output.Advance(bytes.Length);
    }
}
