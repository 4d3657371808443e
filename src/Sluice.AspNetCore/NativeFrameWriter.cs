using System.Buffers;
using System.Globalization;
using System.Text;
using Sluice.Protocol;

namespace Sluice.AspNetCore;

/// <summary>The native protocol (<c>docs/PROTOCOL.md</c>): one SSE frame per event, <c>retry:</c> on the first.</summary>
internal sealed class NativeFrameWriter(TimeSpan clientRetry) : StreamFrameWriter
{
    private readonly StreamEventEncoder _encoder = new();
    private TimeSpan? _retry = clientRetry;

    public override void Write(IBufferWriter<byte> output, SequencedEvent sequencedEvent)
    {
        _encoder.Write(output, sequencedEvent, _retry);
        _retry = null; // PROTOCOL.md: only the first frame of a response carries retry.
    }

    public override void WriteShutdown(IBufferWriter<byte> output)
    {
        // PROTOCOL.md, "Graceful shutdown": a comment saying why, and retry: for the client's next attempt.
        var frame = string.Create(
            CultureInfo.InvariantCulture,
            $": shutting down: reconnect with Last-Event-ID\nretry: {(long)clientRetry.TotalMilliseconds}\n\n");
        output.Write(Encoding.ASCII.GetBytes(frame));
    }
}
