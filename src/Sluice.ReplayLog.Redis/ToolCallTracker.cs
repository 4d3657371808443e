using Sluice.Protocol;

namespace Sluice.ReplayLog.Redis;

/// <summary>
/// The tool calls (started, ended) and the structured output (ended) of one stream, so that an append that
/// <see cref="StreamAccumulator"/> would reject fails when it is appended, not later when it is evicted and folded.
/// </summary>
internal sealed class ToolCallTracker
{
    private Dictionary<string, bool>? _calls; // id → ended
    private bool _objectEnded;

    /// <summary>Why <paramref name="evt"/> cannot follow what was tracked; <see langword="null"/> when it can.</summary>
    public string? Problem(StreamEvent evt) => evt switch
    {
        ToolCallStartEvent start when _calls?.ContainsKey(start.Id) == true => $"tool call '{start.Id}' was already started",
        ToolCallDeltaEvent delta => NotOpen(delta.Id),
        ToolCallEndEvent end => NotOpen(end.Id),
        ObjectEvent when _objectEnded => "the structured output has already ended",
        _ => null,
    };

    /// <summary>Records an accepted event.</summary>
    public void Track(StreamEvent evt)
    {
        switch (evt)
        {
            case ToolCallStartEvent start:
                (_calls ??= new Dictionary<string, bool>(StringComparer.Ordinal))[start.Id] = false;
                break;
            case ToolCallEndEvent end:
                _calls![end.Id] = true;
                break;
            case ObjectEvent { IsFinal: true }:
                _objectEnded = true;
                break;
        }
    }

    /// <summary>Records what a compacted state says (when a writer is rebuilt from Redis).</summary>
    public void Track(SnapshotEvent snapshot)
    {
        foreach (var call in snapshot.ToolCalls)
        {
            (_calls ??= new Dictionary<string, bool>(StringComparer.Ordinal))[call.Id] = call.Complete;
        }

        _objectEnded |= snapshot.Object is { Complete: true };
    }

    private string? NotOpen(string id)
    {
        if (_calls is null || !_calls.TryGetValue(id, out var ended))
        {
            return $"tool call '{id}' was never started";
        }

        return ended ? $"tool call '{id}' has already ended" : null;
    }
}
