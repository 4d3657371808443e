using Sluice.Protocol;

namespace Sluice.AspNetCore.Validation;

/// <summary>
/// Sits between a run's source and its log: gives every <c>tool_call_end</c> its verdict against the tool's schema,
/// adds throttled <c>partial</c> values when configured, ends structured output with one final <c>object</c>, and
/// closes whatever the source left open when the stream stops, so no call or object is left dangling.
/// </summary>
/// <remarks>
/// Providers only relay fragments; the verdict is decided here, once, for every provider alike. Never throws on bad
/// model output: invalid or truncated arguments become <c>valid: false</c> with a reason. One per run; not thread-safe.
/// </remarks>
internal sealed class OutputValidator
{
    private readonly StreamRequest _request;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan? _partialInterval;
    private readonly Dictionary<string, ArgumentTracker> _openCalls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ArgumentSchema?> _schemas = new(StringComparer.Ordinal);
    private ArgumentTracker? _object;
    private bool _objectEnded;

    public OutputValidator(StreamRequest request, TimeProvider timeProvider, TimeSpan? partialInterval)
    {
        _request = request;
        _timeProvider = timeProvider;
        _partialInterval = partialInterval;
    }

    /// <summary>The event to record in place of <paramref name="evt"/>; <see langword="null"/> to drop it.</summary>
    public StreamEvent? Process(StreamEvent evt)
    {
        switch (evt)
        {
            case ToolCallStartEvent start:
                _openCalls[start.Id] = new ArgumentTracker(SchemaOf(start.Name), _timeProvider, _partialInterval);
                return evt;

            case ToolCallDeltaEvent delta when _openCalls.TryGetValue(delta.Id, out var call):
                var partial = call.Append(delta.Delta);
                return partial is null ? evt : delta with { Partial = partial };

            case ToolCallEndEvent end when _openCalls.Remove(end.Id, out var call):
                // The source's text is authoritative (it may differ from the fragments, e.g. "{}" for no arguments).
                var verdict = call.Judge(end.Arguments);
                return new ToolCallEndEvent(end.Id, verdict.Text, verdict.Valid, verdict.Errors);

            case ObjectEvent { IsFinal: true }:
                // The verdict is ours, given once the source has finished (see Close).
                return null;

            case ObjectEvent obj when !_objectEnded:
                var objectPartial = (_object ??= new ArgumentTracker(ResponseSchema(), _timeProvider, _partialInterval)).Append(obj.Delta);
                return objectPartial is null ? evt : new ObjectEvent(obj.Delta, objectPartial);

            default:
                // Events for unknown calls pass through: the log rejects what breaks the protocol.
                return evt;
        }
    }

    /// <summary>The events that close what is still open, to record before <paramref name="terminal"/>.</summary>
    public IEnumerable<StreamEvent> Close(StreamEvent terminal)
    {
        var endedEarly = terminal switch
        {
            DoneEvent { FinishReason: var reason } when reason == FinishReason.Stop || reason == FinishReason.ToolCalls => null,
            DoneEvent done => $"the stream finished ({done.FinishReason})",
            ErrorEvent error => $"the stream failed ({error.Code})",
            _ => "the stream ended",
        };

        foreach (var (id, call) in _openCalls)
        {
            var verdict = call.Judge(call.Text, endedEarly ?? "the stream finished without ending the call");
            yield return new ToolCallEndEvent(id, verdict.Text, false, verdict.Valid ? ["Truncated: the stream ended without ending the call."] : verdict.Errors);
        }

        _openCalls.Clear();
        if (!_objectEnded && (_object is not null || _request.ResponseFormat is not null))
        {
            _objectEnded = true;
            var tracker = _object ?? new ArgumentTracker(ResponseSchema(), _timeProvider, null);
            var verdict = tracker.Judge(tracker.Text, endedEarly ?? (tracker.Text.Length == 0 ? "the model sent no structured output" : null));
            yield return ObjectEvent.Final(verdict.Value, verdict.Valid, verdict.Errors);
        }
    }

    private ArgumentSchema? SchemaOf(string toolName)
    {
        if (!_schemas.TryGetValue(toolName, out var schema))
        {
            var tool = _request.Tools.FirstOrDefault(t => string.Equals(t.Name, toolName, StringComparison.Ordinal));
            schema = tool?.Parameters is { } parameters ? ArgumentSchema.TryCreate(parameters, out _) : null;
            _schemas[toolName] = schema;
        }

        return schema;
    }

    private ArgumentSchema? ResponseSchema() =>
        _request.ResponseFormat is { } format ? ArgumentSchema.TryCreate(format.Schema, out _) : null;
}
