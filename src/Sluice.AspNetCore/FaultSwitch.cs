namespace Sluice.AspNetCore;

/// <summary>The fault settings in force now: <see cref="FaultOptions"/> at start, changed by <c>POST /v1/faults</c>.</summary>
/// <remarks>Thread-safe. Each response reads it once, when it starts, so the disabled path costs one read.</remarks>
internal sealed class FaultSwitch(SluiceOptions options)
{
    private int _cutAfterEvents = options.Faults.CutAfterEvents ?? 0;

    /// <summary>Abort each event-stream response's connection after this many events; 0 is off.</summary>
    public int CutAfterEvents
    {
        get => Volatile.Read(ref _cutAfterEvents);
        set => Volatile.Write(ref _cutAfterEvents, value);
    }
}
