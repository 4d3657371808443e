using Microsoft.AspNetCore.Components;
using Sluice.Client;
using Sluice.Protocol;

namespace Sluice.Components;

/// <summary>
/// The state of a message's connection: "Reconnecting…" while the client resumes a dropped stream, and the reason when
/// it gave up. Nothing visible otherwise.
/// </summary>
/// <remarks>
/// The container (<c>data-testid="connection"</c>) is always there and carries the state in <c>data-state</c>
/// (<c>connecting</c>, <c>streaming</c>, <c>reconnecting</c>, <c>done</c>, <c>failed</c>); the indicators inside are
/// <c>data-testid="reconnecting"</c> and <c>data-testid="connection-failed"</c>.
/// </remarks>
public sealed partial class ConnectionIndicator : ComponentBase
{
    /// <summary>Where the connection stands (<see cref="MessageState.Connection"/>).</summary>
    [Parameter]
    public ConnectionState State { get; set; }

    /// <summary>What ended the stream, shown when <see cref="State"/> is <see cref="ConnectionState.Failed"/>.</summary>
    [Parameter]
    public ErrorEvent? Error { get; set; }

    private static string StateName(ConnectionState state) => state switch
    {
        ConnectionState.Connecting => "connecting",
        ConnectionState.Streaming => "streaming",
        ConnectionState.Reconnecting => "reconnecting",
        ConnectionState.Done => "done",
        ConnectionState.Failed => "failed",
        _ => "unknown",
    };
}
