using System.Buffers;
using Sluice.Protocol;

namespace Sluice.AspNetCore;

/// <summary>
/// One response's encoding of a run on the wire: the native protocol (<see cref="NativeFrameWriter"/>) or a dialect
/// (the AI SDK UI message stream, AG-UI). The subscriber reads the log, coalesces while the reader lags and hands
/// every event here, so a dialect is an encoding of the same run, not a second pipeline.
/// </summary>
/// <remarks>
/// One instance per response (a dialect may keep state between events, e.g. which text block is open); not
/// thread-safe. Events arrive in seq order, starting after the reader's position; the first may be a
/// <see cref="SnapshotEvent"/> (the log evicted what came before) and any content event may be coalesced
/// (<see cref="SequencedEvent.FirstSeq"/> below its seq). Nothing arrives after a terminal event.
/// </remarks>
internal abstract class StreamFrameWriter
{
    /// <summary>The response's <c>Content-Type</c>.</summary>
    public virtual string ContentType => SluiceHeaders.EventStreamMediaType;

    /// <summary>Writes the frames for one event (none is allowed: a dialect may have nothing to say for it).</summary>
    /// <param name="output">The response body.</param>
    /// <param name="sequencedEvent">The event, its seq and the first seq it covers.</param>
    public abstract void Write(IBufferWriter<byte> output, SequencedEvent sequencedEvent);

    /// <summary>Writes something every client of the encoding ignores, to keep proxies and idle timers from closing the connection.</summary>
    /// <param name="output">The response body.</param>
    public virtual void WriteHeartbeat(IBufferWriter<byte> output) => StreamEventEncoder.WriteComment(output, "keep-alive");

    /// <summary>
    /// Writes what the reader gets when the gateway stops while its run goes on; the response then ends cleanly, without
    /// a terminal event, so the client knows to resume elsewhere.
    /// </summary>
    /// <param name="output">The response body.</param>
    public abstract void WriteShutdown(IBufferWriter<byte> output);
}
