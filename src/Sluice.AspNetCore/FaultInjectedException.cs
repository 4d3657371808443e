namespace Sluice.AspNetCore;

/// <summary>Thrown on purpose by the fault switch (<c>Sluice:Faults:CutAfterEvents</c>) to cut a response mid-stream.</summary>
/// <remarks>The server logs it as an unhandled application error; that is the fault being injected, not a bug.</remarks>
internal sealed class FaultInjectedException(int cutAfterEvents)
    : IOException($"Fault injection (Sluice:Faults:CutAfterEvents = {cutAfterEvents}): the connection is cut after {cutAfterEvents} events.");
