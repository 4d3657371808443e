namespace Sluice.AspNetCore;

/// <summary>Why <see cref="RunSubscriber.StreamAsync"/> stopped writing a response.</summary>
internal enum SubscriberEnd
{
    /// <summary>Nothing more to send: the terminal event is written, the client left, or the stream was removed.</summary>
    Finished,

    /// <summary>The fault switch cut it after its N events (<c>Sluice:Faults:CutAfterEvents</c>).</summary>
    Cut,

    /// <summary>Its cancellation token fired before the terminal event: the client left, or the host is stopping.</summary>
    Stopped,

    /// <summary>A flush waited longer than <see cref="SluiceOptions.SendTimeout"/>: the client accepts no bytes.</summary>
    TimedOut,
}
