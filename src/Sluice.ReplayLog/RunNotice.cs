namespace Sluice.ReplayLog;

/// <summary>What a node tells the node that owns a run (<see cref="IRunDirectory.Notify"/>).</summary>
public enum RunNotice
{
    /// <summary>Cancel the upstream call (a <c>DELETE</c> reached another node).</summary>
    Cancel,

    /// <summary>A reader attached on another node: the run is not unread (its detach grace must not run).</summary>
    Attach,

    /// <summary>A reader on another node left.</summary>
    Detach,
}
