namespace Sluice.Client;

/// <summary>Where a client's stream stands, as a UI shows it.</summary>
public enum ConnectionState
{
    /// <summary>The request is on its way; nothing has arrived yet.</summary>
    Connecting,

    /// <summary>Events are arriving.</summary>
    Streaming,

    /// <summary>The connection dropped before the stream ended; the client is resuming it.</summary>
    Reconnecting,

    /// <summary>The stream ended with <c>done</c> (or an <c>error</c> event the server sent as the stream's end).</summary>
    Done,

    /// <summary>The stream could not be completed: resuming ran out of attempts, or the server refused it.</summary>
    Failed,
}
