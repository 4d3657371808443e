using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;

namespace Sluice.Protocol;

/// <summary>Reads a Sluice event stream (an SSE response body) with <see cref="SseParser"/>.</summary>
public static class StreamEventReader
{
    /// <summary>Reads events until the stream ends; heartbeats and unknown event types are skipped.</summary>
    /// <param name="stream">The response body.</param>
    /// <param name="cancellationToken">Stops the read.</param>
    /// <returns>The events in arrival order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="stream"/> is null.</exception>
    /// <exception cref="InvalidDataException">(While enumerating) a frame's data is not a valid event, or its <c>seq</c> differs from its <c>id</c>.</exception>
    public static async IAsyncEnumerable<SequencedEvent> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var parser = SseParser.Create(stream, static (_, data) => StreamEventParser.Parse(data));
        await foreach (var item in parser.EnumerateAsync(cancellationToken).ConfigureAwait(false))
        {
            if (item.Data is not { } evt)
            {
                continue;
            }

            if (item.EventId is { } id && id != evt.Seq.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw new InvalidDataException($"Frame id '{id}' does not match its seq {evt.Seq}.");
            }

            yield return evt;
        }
    }
}
