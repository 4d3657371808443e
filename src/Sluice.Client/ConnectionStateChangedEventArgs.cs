namespace Sluice.Client;

/// <summary>What <see cref="SluiceStream.StateChanged"/> reports: the new state and, while reconnecting, why and when.</summary>
public sealed class ConnectionStateChangedEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="state">The new state.</param>
    /// <param name="attempt">The reconnection attempt (1, 2, …) for <see cref="ConnectionState.Reconnecting"/>; 0 otherwise.</param>
    /// <param name="delay">For <see cref="ConnectionState.Reconnecting"/>: how long the client waits before the attempt.</param>
    /// <param name="cause">Why the connection dropped (<see cref="ConnectionState.Reconnecting"/>) or the stream failed (<see cref="ConnectionState.Failed"/>).</param>
    public ConnectionStateChangedEventArgs(ConnectionState state, int attempt = 0, TimeSpan? delay = null, Exception? cause = null)
    {
        State = state;
        Attempt = attempt;
        Delay = delay;
        Cause = cause;
    }

    /// <summary>The new state.</summary>
    public ConnectionState State { get; }

    /// <summary>The reconnection attempt (1, 2, …) while <see cref="ConnectionState.Reconnecting"/>; 0 otherwise.</summary>
    public int Attempt { get; }

    /// <summary>While <see cref="ConnectionState.Reconnecting"/>: the wait before this attempt.</summary>
    public TimeSpan? Delay { get; }

    /// <summary>Why the connection dropped, or why the stream failed; <see langword="null"/> otherwise.</summary>
    public Exception? Cause { get; }
}
