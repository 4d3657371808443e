namespace Sluice.AspNetCore;

/// <summary>
/// Fault injection, so that clients' reconnection can be seen and tested against a real gateway; bound from
/// <c>Sluice:Faults</c>. Everything is off by default: never turn it on in production.
/// </summary>
public sealed record FaultOptions
{
    /// <summary>The defaults: no faults, no endpoint.</summary>
    public static FaultOptions Default { get; } = new();

    /// <summary>
    /// When positive, every event-stream response (start or resume) is cut after this many events were written to it,
    /// counted per response: the events are flushed, then the response ends abruptly (HTTP/1.1: the connection closes
    /// without the final chunk, so the client sees a truncated body; HTTP/2: the stream is reset), and the server logs
    /// the injected fault as an unhandled error. A terminal event ends the response normally. The run itself goes on.
    /// Default <see langword="null"/> (0 too): off.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public int? CutAfterEvents
    {
        get;
        init => field = value is null || value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(CutAfterEvents), value, "Must not be negative (null or 0 for off).");
    }

    /// <summary>
    /// Whether <c>MapSluice()</c> also maps <c>POST {prefix}/faults</c>, which changes <see cref="CutAfterEvents"/> at
    /// run time (body <c>{"cutAfterEvents": N}</c>, or <see langword="null"/> for off). Default <see langword="false"/>.
    /// </summary>
    public bool EnableEndpoint { get; init; }
}
