using System.Text;
using System.Text.Json;

namespace Sluice.Protocol;

/// <summary>Structured output as a <see cref="StreamAccumulator"/> has accumulated it so far.</summary>
/// <remarks>
/// A live view, updated in place by the accumulator that owns it (replaced by a new instance when a
/// <see cref="SnapshotEvent"/> is applied). Not thread-safe.
/// </remarks>
public sealed class ObjectState
{
    // Fragments go to a builder so that a long value costs O(n) overall; the string is made on demand.
    private readonly StringBuilder _text = new();
    private JsonElement? _value;

    internal ObjectState()
    {
    }

    /// <summary>The value's JSON text so far: every fragment's delta concatenated.</summary>
    /// <remarks>Each read builds a new string (O(length)).</remarks>
    public string Text => _text.ToString();

    /// <summary>Whether the final <c>object</c> event has been applied (or a snapshot said it was).</summary>
    public bool Complete { get; private set; }

    /// <summary>From the final event: whether the value is complete JSON matching the schema; <see langword="null"/> before it.</summary>
    public bool? Valid { get; private set; }

    /// <summary>From the final event: why the value is not valid; <see langword="null"/> when it is (or before the final event).</summary>
    public IReadOnlyList<string>? Errors { get; private set; }

    /// <summary>The complete value, once <see cref="Complete"/> and when the text is JSON; otherwise <see langword="null"/>.</summary>
    /// <remarks>For the value while it is still arriving, feed the fragments to Sluice.Json's incremental parser.</remarks>
    public JsonElement? Value
    {
        get
        {
            if (_value is null && Complete)
            {
                try
                {
                    _value = JsonElement.Parse(Text);
                }
                catch (JsonException)
                {
                    // Not JSON: Valid is false and Errors say why; there is no value to give.
                }
            }

            return _value;
        }
    }

    internal static ObjectState FromSnapshot(ObjectSnapshot snapshot)
    {
        var state = new ObjectState();
        state._text.Append(snapshot.Text);
        state.Complete = snapshot.Complete;
        state.Valid = snapshot.Valid;
        state.Errors = snapshot.Errors;
        return state;
    }

    internal void Append(string delta) => _text.Append(delta);

    internal void End(ObjectEvent final)
    {
        Complete = true;
        Valid = final.Valid;
        Errors = final.Errors;
        _value = final.Value;
    }

    internal ObjectSnapshot ToSnapshot() => new(Text, Complete, Valid, Errors);
}
