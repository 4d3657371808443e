using System.Buffers;
using System.Text;
using System.Text.Json;
using Sluice.Json;

namespace Sluice.AspNetCore.Validation;

/// <summary>
/// Follows one JSON value arriving in fragments (a tool call's arguments, or a structured output): keeps its text, offers
/// the partial value at most every so often, and judges the complete text against the schema at the end.
/// </summary>
internal sealed class ArgumentTracker
{
    private readonly StringBuilder _text = new();
    private readonly ArgumentSchema? _schema;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan? _partialInterval;
    private readonly PartialJsonParser? _parser;
    private long _lastPartialAt;
    private bool _sentPartial;

    public ArgumentTracker(ArgumentSchema? schema, TimeProvider timeProvider, TimeSpan? partialInterval)
    {
        _schema = schema;
        _timeProvider = timeProvider;
        _partialInterval = partialInterval;

        // The incremental parser runs only when partial values are wanted: validation needs just the final text.
        _parser = partialInterval is null ? null : new PartialJsonParser();
    }

    /// <summary>Takes the next fragment; returns the partial value when one is due, else <see langword="null"/>.</summary>
    public JsonElement? Append(string delta)
    {
        _text.Append(delta);
        if (_parser is null || _parser.Feed(delta) == PartialJsonStatus.Invalid || _parser.Root is not { } root)
        {
            return null;
        }

        var now = _timeProvider.GetTimestamp();
        if (_sentPartial && _timeProvider.GetElapsedTime(_lastPartialAt, now) < _partialInterval!.Value)
        {
            return null;
        }

        _sentPartial = true;
        _lastPartialAt = now;
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            root.WriteTo(writer);
        }

        return JsonElement.Parse(buffer.WrittenSpan);
    }

    /// <summary>The text received so far (fragments concatenated).</summary>
    public string Text => _text.ToString();

    /// <summary>Judges the complete text: JSON at all, then against the schema.</summary>
    /// <param name="text">The complete text; an empty text means an empty object (a tool called without arguments).</param>
    /// <param name="endedEarly">Why the stream stopped before the value was finished, if it did.</param>
    public Verdict Judge(string text, string? endedEarly = null)
    {
        if (text.Length == 0 && endedEarly is null)
        {
            text = "{}";
        }

        // Sluice's parser names the byte and what was expected there, which System.Text.Json's messages do not.
        var parser = new PartialJsonParser();
        parser.Feed(text);
        if (parser.Complete() != PartialJsonStatus.Complete)
        {
            // Text that is fine as far as it goes was cut (say, max_tokens inside a tool call, which providers end like
            // any call), not malformed: say so, with the reason when the stream gave one.
            var reason = parser.Error!.Position >= Encoding.UTF8.GetByteCount(text)
                ? $"Truncated: {endedEarly ?? "the text ends"} before the JSON was complete ({parser.Error})."
                : $"Not valid JSON: {parser.Error}.";
            return new Verdict(text, null, false, [reason]);
        }

        var value = JsonElement.Parse(text);
        var errors = _schema?.Check(value) ?? [];
        return new Verdict(text, value, errors.Count == 0, errors.Count == 0 ? null : errors);
    }

    /// <summary>The judged value.</summary>
    /// <param name="Text">The complete text (<c>{}</c> for a call without arguments).</param>
    /// <param name="Value">The value, when the text is JSON.</param>
    /// <param name="Valid">JSON, complete, and matching the schema.</param>
    /// <param name="Errors">Why not; <see langword="null"/> when valid.</param>
    public sealed record Verdict(string Text, JsonElement? Value, bool Valid, IReadOnlyList<string>? Errors);
}
