namespace Sluice.Protocol;

/// <summary>HTTP header names and media types of the Sluice protocol.</summary>
public static class SluiceHeaders
{
    /// <summary>The response header carrying the stream id.</summary>
    public const string StreamId = "Sluice-Stream-Id";

    /// <summary>The response header carrying the anonymous resume token.</summary>
    public const string ResumeToken = "Sluice-Resume-Token";

    /// <summary>The SSE request header naming the last event the client has.</summary>
    public const string LastEventId = "Last-Event-ID";

    /// <summary>The media type of a Sluice event stream.</summary>
    public const string EventStreamMediaType = "text/event-stream";
}
