using System.Buffers;
using Sluice.Protocol;

namespace Sluice.ReplayLog.Redis;

/// <summary>
/// Turns an event into the JSON of its SSE <c>data</c> line (what a Redis stream entry and the snapshot field hold), and
/// back, with the protocol's own encoder and parser.
/// </summary>
/// <remarks>Encoding is not thread-safe (it reuses a buffer and the encoder's JSON writer): one codec per writer.</remarks>
internal sealed class EventCodec
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256);
    private readonly StreamEventEncoder _encoder = new();

    /// <summary>The event's JSON (<c>{"type":…,"seq":…,…}</c>), as UTF-8.</summary>
    public byte[] Encode(SequencedEvent sequencedEvent)
    {
        _buffer.ResetWrittenCount();
        _encoder.Write(_buffer, sequencedEvent);

        // The frame is "id: N\nevent: T\ndata: {json}\n\n"; the JSON is escaped onto one line, so the first
        // "\ndata: " starts it and the blank line ends it.
        var frame = _buffer.WrittenSpan;
        var start = frame.IndexOf("\ndata: "u8) + "\ndata: "u8.Length;
        return frame[start..^2].ToArray();
    }

    /// <summary>Parses what <see cref="Encode"/> wrote.</summary>
    /// <exception cref="InvalidDataException">The data is not a Sluice event this version knows.</exception>
    public static SequencedEvent Decode(ReadOnlySpan<byte> json) =>
        StreamEventParser.Parse(json) ?? throw new InvalidDataException("The Redis log holds an event of a type this version does not know.");
}
