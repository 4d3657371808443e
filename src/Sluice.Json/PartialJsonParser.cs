using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sluice.Json;

/// <summary>
/// Parses one JSON document that arrives in fragments, in O(n) total: each byte is examined once, whatever the
/// fragment sizes and however long one string is. After every fragment it offers the value so far
/// (<see cref="Root"/>, or <see cref="GetJsonNode"/>) and what changed (<see cref="Changes"/>).
/// </summary>
/// <remarks>
/// <para>
/// Partial semantics: an open string shows its content so far, never half an escape or half a surrogate pair; a
/// property appears once its name is complete and its value has begun; a number shows only a prefix that is a valid
/// number and can only grow (<c>-</c>, <c>1.</c>, <c>1e</c>, <c>1e+</c> are withheld); <c>tru</c> and <c>nul</c> are
/// withheld; arrays and objects appear as soon as they open. Values only grow: nothing shown is ever taken back.
/// </para>
/// <para>
/// Invalid input stops the parser: <see cref="Status"/> becomes <see cref="PartialJsonStatus.Invalid"/>,
/// <see cref="Error"/> names the byte position and what was expected, and later input is ignored. Data after the
/// value (other than whitespace) is invalid. Invalid input is a value here, not an exception: model output is untrusted.
/// </para>
/// <para>
/// The scanner keeps its whole state in fields (as <see cref="Utf8JsonReader"/> keeps it in
/// <see cref="JsonReaderState"/>): the container stack, the pending property name, and the string, number or literal
/// being read. Not thread-safe: feed it from one thread at a time.
/// </para>
/// </remarks>
public sealed class PartialJsonParser
{
    private static readonly byte[] s_true = "true"u8.ToArray();
    private static readonly byte[] s_false = "false"u8.ToArray();
    private static readonly byte[] s_null = "null"u8.ToArray();

    private readonly int _maxDepth;
    private readonly List<PartialJsonNode> _containers = [];
    private readonly List<PartialJsonChange> _changes = [];

    private ParseState _state = ParseState.Value;
    private JsonStringDecoder _decoder;
    private CharBuffer _propertyName = new(32);
    private string? _pendingName;
    private PartialJsonString? _string;
    private PartialJsonNumber? _number;
    private NumberState _numberState;
    private byte[]? _literal;
    private int _literalMatched;
    private long _position;
    private int _feed;
    private bool _mirrored;
    private JsonNode? _mirrorRoot;
    private char _heldHighSurrogate;

    /// <summary>Creates a parser for one document.</summary>
    /// <param name="options">Bounds; <see cref="PartialJsonParserOptions.Default"/> when <see langword="null"/>.</param>
    public PartialJsonParser(PartialJsonParserOptions? options = null) =>
        _maxDepth = (options ?? PartialJsonParserOptions.Default).MaxDepth;

    private enum ParseState : byte
    {
        Value,              // a value must start (the root, after ':' or after ',' in an array)
        FirstValueOrEnd,    // after '[': a value or ']'
        FirstNameOrEnd,     // after '{': a property name or '}'
        Name,               // after ',' in an object: a property name
        InName,             // inside a property name
        Colon,              // after a property name
        AfterValue,         // after a value: ',' or the container's end (or, at the root, the end of input)
        InString,
        InNumber,
        InLiteral,
        End,                // the root value is complete: only whitespace may follow
        Invalid,
    }

    private enum NumberState : byte
    {
        Minus,
        Zero,
        Integer,
        Dot,
        Fraction,
        Exponent,
        ExponentSign,
        ExponentDigits,
    }

    /// <summary>Where the parser stands.</summary>
    public PartialJsonStatus Status => _state switch
    {
        ParseState.Invalid => PartialJsonStatus.Invalid,
        ParseState.End => PartialJsonStatus.Complete,
        _ => PartialJsonStatus.Incomplete,
    };

    /// <summary>Why the input is invalid; <see langword="null"/> unless <see cref="Status"/> is <see cref="PartialJsonStatus.Invalid"/>.</summary>
    public PartialJsonError? Error { get; private set; }

    /// <summary>The value so far; <see langword="null"/> until the root value has begun (or while a root number or literal is withheld).</summary>
    public PartialJsonNode? Root { get; private set; }

    /// <summary>The number of UTF-8 bytes fed so far.</summary>
    public long BytesConsumed => _position;

    /// <summary>What the last <see cref="Feed(ReadOnlySpan{byte})"/> or <see cref="Complete"/> changed, in input order.</summary>
    /// <remarks>A view of a reused buffer (no allocation per fragment): read it before feeding again.</remarks>
    public ReadOnlySpan<PartialJsonChange> Changes => CollectionsMarshal.AsSpan(_changes);

    /// <summary>Feeds the next fragment of UTF-8 input.</summary>
    /// <param name="utf8">The fragment; a multi-byte character may be split across fragments.</param>
    /// <returns>The status after the fragment.</returns>
    public PartialJsonStatus Feed(ReadOnlySpan<byte> utf8)
    {
        BeginFeed();
        Scan(utf8);
        EndFeed();
        return Status;
    }

    /// <summary>Feeds the next fragment as UTF-16 text (e.g. a tool-call delta from a provider SDK).</summary>
    /// <param name="text">The fragment; a surrogate pair may be split across fragments.</param>
    /// <returns>The status after the fragment.</returns>
    /// <remarks>Positions in <see cref="Error"/> still count UTF-8 bytes.</remarks>
    public PartialJsonStatus Feed(ReadOnlySpan<char> text)
    {
        BeginFeed();
        ScanChars(text);
        EndFeed();
        return Status;
    }

    /// <summary>Signals the end of the input: a root number ends here, and anything still open makes the input invalid.</summary>
    /// <returns><see cref="PartialJsonStatus.Complete"/> when the input was one whole JSON value, else <see cref="PartialJsonStatus.Invalid"/>.</returns>
    public PartialJsonStatus Complete()
    {
        BeginFeed();
        if (_heldHighSurrogate != 0)
        {
            // The text ended inside a surrogate pair: it stands for U+FFFD, as the UTF-8 encoder would have it.
            _heldHighSurrogate = '\0';
            Scan("\uFFFD"u8);
        }

        if (_state == ParseState.InNumber && _containers.Count == 0)
        {
            EndNumber(_position);
        }

        if (_state is not (ParseState.End or ParseState.Invalid))
        {
            Fail(_position, $"unexpected end of input: expected {Expectation()}");
        }

        EndFeed();
        return Status;
    }

    /// <summary>The value so far as a <see cref="JsonNode"/>, maintained incrementally from then on.</summary>
    /// <returns>The live JsonNode for the root (<see langword="null"/> before the root has begun, or for a root <c>null</c>).</returns>
    /// <remarks>
    /// The first call builds the mirror (O(size)); after that each fragment updates only what changed, replacing a
    /// string that grew with a new <see cref="JsonValue"/> (so a fragment inside a long string costs that string's
    /// length: read <see cref="PartialJsonString.AsSpan"/> instead where that matters). The node is the parser's own:
    /// do not modify it, and <see cref="JsonNode.DeepClone"/> it to keep a copy past the next fragment.
    /// </remarks>
    public JsonNode? GetJsonNode()
    {
        if (!_mirrored)
        {
            _mirrored = true;
            if (Root is not null)
            {
                _mirrorRoot = Root.Mirror = Root.CreateMirror();
            }
        }

        return _mirrorRoot;
    }

    private void BeginFeed()
    {
        _changes.Clear();
        _feed++;
    }

    private void EndFeed()
    {
        if (_mirrored)
        {
            JsonNodeMirror.Apply(Changes, ref _mirrorRoot);
        }
    }

    /// <summary>Encodes UTF-16 to UTF-8 in bounded chunks on the stack and scans them.</summary>
    /// <remarks>
    /// NOTE: <see cref="Encoder"/> would carry a split surrogate pair by itself, but its per-call cost dominates when
    /// fragments are a few characters long; holding back a trailing high surrogate here is all it would do for us.
    /// Lone surrogates become U+FFFD, as <see cref="Encoding.UTF8"/> encodes them.
    /// </remarks>
    private void ScanChars(ReadOnlySpan<char> text)
    {
        const int ChunkChars = 256;
        Span<byte> bytes = stackalloc byte[ChunkChars * 3 + 6];
        if (_heldHighSurrogate != 0 && !text.IsEmpty)
        {
            ReadOnlySpan<char> pair = [_heldHighSurrogate, text[0]];
            var pairIsWhole = char.IsLowSurrogate(text[0]);
            _heldHighSurrogate = '\0';
            Scan(bytes[..Encoding.UTF8.GetBytes(pairIsWhole ? pair : pair[..1], bytes)]);
            text = pairIsWhole ? text[1..] : text;
        }

        if (!text.IsEmpty && char.IsHighSurrogate(text[^1]))
        {
            _heldHighSurrogate = text[^1];
            text = text[..^1];
        }

        while (!text.IsEmpty && _state != ParseState.Invalid)
        {
            var chunk = text.Length <= ChunkChars ? text : text[..(char.IsHighSurrogate(text[ChunkChars - 1]) ? ChunkChars - 1 : ChunkChars)];
            Scan(bytes[..Encoding.UTF8.GetBytes(chunk, bytes)]);
            text = text[chunk.Length..];
        }
    }

    private void Scan(ReadOnlySpan<byte> input)
    {
        var start = _position;
        var i = 0;
        while (i < input.Length && _state != ParseState.Invalid)
        {
            switch (_state)
            {
                case ParseState.InString:
                    i += ScanString(input[i..], start + i);
                    continue;
                case ParseState.InName:
                    i += ScanName(input[i..], start + i);
                    continue;
                case ParseState.InNumber:
                    i += ScanNumber(input[i..], start + i);
                    continue;
                case ParseState.InLiteral:
                    i += ScanLiteral(input[i..], start + i);
                    continue;
            }

            var b = input[i];
            if (b is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
            {
                i++;
                continue;
            }

            ScanStructural(b, start + i);
            i++;
        }

        if (_state == ParseState.InNumber)
        {
            // The fragment ended inside a number: show it if what is there is a complete number.
            ShowNumber();
        }

        _position = start + input.Length;
    }

    /// <summary>One byte outside strings, numbers and literals: where the grammar decides what comes next.</summary>
    private void ScanStructural(byte b, long position)
    {
        switch (_state)
        {
            case ParseState.Value:
            case ParseState.FirstValueOrEnd:
                if (b == (byte)']' && _state == ParseState.FirstValueOrEnd)
                {
                    CloseContainer();
                }
                else
                {
                    BeginValue(b, position);
                }

                break;

            case ParseState.FirstNameOrEnd:
            case ParseState.Name:
                if (b == (byte)'"')
                {
                    _propertyName.Clear();
                    _decoder.Reset();
                    _state = ParseState.InName;
                }
                else if (b == (byte)'}' && _state == ParseState.FirstNameOrEnd)
                {
                    CloseContainer();
                }
                else
                {
                    Fail(position, $"expected {(_state == ParseState.Name ? "a property name" : "a property name or '}'")}, found {JsonStringDecoder.Describe(b)}");
                }

                break;

            case ParseState.Colon:
                if (b == (byte)':')
                {
                    _state = ParseState.Value;
                }
                else
                {
                    Fail(position, $"expected ':' after a property name, found {JsonStringDecoder.Describe(b)}");
                }

                break;

            case ParseState.AfterValue:
                var container = _containers[^1];
                var isObject = container.Kind == JsonValueKind.Object;
                if (b == (byte)',')
                {
                    _state = isObject ? ParseState.Name : ParseState.Value;
                }
                else if (b == (isObject ? (byte)'}' : (byte)']'))
                {
                    CloseContainer();
                }
                else
                {
                    Fail(position, $"expected ',' or '{(isObject ? '}' : ']')}' after {(isObject ? "a property value" : "an array element")}, found {JsonStringDecoder.Describe(b)}");
                }

                break;

            case ParseState.End:
                Fail(position, $"expected the end of input after the JSON value, found {JsonStringDecoder.Describe(b)}");
                break;
        }
    }

    private void BeginValue(byte b, long position)
    {
        switch (b)
        {
            case (byte)'{':
            case (byte)'[':
                if (_containers.Count >= _maxDepth)
                {
                    Fail(position, $"the nesting depth exceeds the maximum of {_maxDepth}");
                    return;
                }

                var container = b == (byte)'{'
                    ? (PartialJsonNode)new PartialJsonObject(CurrentParent, _pendingName, NextIndex)
                    : new PartialJsonArray(CurrentParent, _pendingName, NextIndex);
                Attach(container);
                _containers.Add(container);
                _state = b == (byte)'{' ? ParseState.FirstNameOrEnd : ParseState.FirstValueOrEnd;
                return;

            case (byte)'"':
                _string = new PartialJsonString(CurrentParent, _pendingName, NextIndex);
                Attach(_string);
                _decoder.Reset();
                _state = ParseState.InString;
                return;

            case (byte)'-':
            case >= (byte)'0' and <= (byte)'9':
                // Attached only once it shows a valid number (a lone '-' is withheld).
                _number = new PartialJsonNumber(CurrentParent, _pendingName, NextIndex);
                _number.AppendScanned((char)b);
                _numberState = b switch
                {
                    (byte)'-' => NumberState.Minus,
                    (byte)'0' => NumberState.Zero,
                    _ => NumberState.Integer,
                };
                _state = ParseState.InNumber;
                return;

            case (byte)'t':
            case (byte)'f':
            case (byte)'n':
                _literal = b == (byte)'t' ? s_true : b == (byte)'f' ? s_false : s_null;
                _literalMatched = 1;
                _state = ParseState.InLiteral;
                return;

            default:
                Fail(position, $"expected {(_state == ParseState.FirstValueOrEnd ? "a value or ']'" : "a value")}, found {JsonStringDecoder.Describe(b)}");
                return;
        }
    }

    private int ScanString(ReadOnlySpan<byte> input, long position)
    {
        var node = _string!;
        var before = node.Length;
        var result = _decoder.Decode(input, ref node.Chars, out var consumed, out var error);
        if (node.Length != before)
        {
            node.OnGrown();
            if (node.AddedInFeed != _feed && (_changes.Count == 0 || !ReferenceEquals(_changes[^1].Node, node)))
            {
                _changes.Add(new PartialJsonChange(PartialJsonChangeKind.Appended, node, before));
            }
        }

        if (result == JsonStringDecoder.Result.Invalid)
        {
            Fail(position + consumed, error!);
        }
        else if (result == JsonStringDecoder.Result.Closed)
        {
            _string = null;
            CompleteValue(node);
        }

        return consumed;
    }

    private int ScanName(ReadOnlySpan<byte> input, long position)
    {
        var result = _decoder.Decode(input, ref _propertyName, out var consumed, out var error);
        if (result == JsonStringDecoder.Result.Invalid)
        {
            Fail(position + consumed, error!);
        }
        else if (result == JsonStringDecoder.Result.Closed)
        {
            _pendingName = new string(_propertyName.Span);
            _state = ParseState.Colon;
        }

        return consumed;
    }

    private int ScanNumber(ReadOnlySpan<byte> input, long position)
    {
        var number = _number!;
        for (var i = 0; i < input.Length; i++)
        {
            var b = input[i];
            var digit = b is >= (byte)'0' and <= (byte)'9';
            NumberState? next = _numberState switch
            {
                NumberState.Minus => digit ? (b == (byte)'0' ? NumberState.Zero : NumberState.Integer) : null,
                NumberState.Zero => b == (byte)'.' ? NumberState.Dot : b is (byte)'e' or (byte)'E' ? NumberState.Exponent : null,
                NumberState.Integer => digit ? NumberState.Integer : b == (byte)'.' ? NumberState.Dot : b is (byte)'e' or (byte)'E' ? NumberState.Exponent : null,
                NumberState.Dot => digit ? NumberState.Fraction : null,
                NumberState.Fraction => digit ? NumberState.Fraction : b is (byte)'e' or (byte)'E' ? NumberState.Exponent : null,
                NumberState.Exponent => digit ? NumberState.ExponentDigits : b is (byte)'+' or (byte)'-' ? NumberState.ExponentSign : null,
                NumberState.ExponentSign => digit ? NumberState.ExponentDigits : null,
                _ => digit ? NumberState.ExponentDigits : null,
            };

            if (next is { } state)
            {
                _numberState = state;
                number.AppendScanned((char)b);
                continue;
            }

            if (_numberState == NumberState.Zero && digit)
            {
                Fail(position + i, "expected '.', 'e' or the end of the number after a leading 0 (leading zeros are not allowed)");
                return i;
            }

            if (!IsComplete(_numberState))
            {
                Fail(position + i, $"expected a digit, found {JsonStringDecoder.Describe(b)}");
                return i;
            }

            // Any other byte ends the number; the grammar after the value judges it.
            ShowNumber();
            EndNumber(position + i);
            return i;
        }

        return input.Length;
    }

    private static bool IsComplete(NumberState state) =>
        state is NumberState.Zero or NumberState.Integer or NumberState.Fraction or NumberState.ExponentDigits;

    /// <summary>Shows what has been scanned of the number when it is a complete number (only at the end of a fragment or of the number).</summary>
    private void ShowNumber()
    {
        var number = _number!;
        if (!IsComplete(_numberState))
        {
            return;
        }

        var wasShown = number.VisibleLength > 0;
        var before = number.VisibleLength;
        number.ShowScanned();
        if (!wasShown)
        {
            Attach(number);
        }
        else if (number.VisibleLength != before && number.AddedInFeed != _feed)
        {
            _changes.Add(new PartialJsonChange(PartialJsonChangeKind.Updated, number));
        }
    }

    private void EndNumber(long position)
    {
        if (!IsComplete(_numberState))
        {
            Fail(position, "expected a digit");
            return;
        }

        ShowNumber();
        var number = _number!;
        _number = null;
        CompleteValue(number);
    }

    private int ScanLiteral(ReadOnlySpan<byte> input, long position)
    {
        var literal = _literal!;
        var i = 0;
        while (i < input.Length && _literalMatched < literal.Length)
        {
            if (input[i] != literal[_literalMatched])
            {
                Fail(position + i, $"expected '{Encoding.ASCII.GetString(literal)}', found {JsonStringDecoder.Describe(input[i])}");
                return i;
            }

            i++;
            _literalMatched++;
        }

        if (_literalMatched == literal.Length)
        {
            var kind = literal == s_true ? JsonValueKind.True : literal == s_false ? JsonValueKind.False : JsonValueKind.Null;
            var node = new PartialJsonLiteral(CurrentParent, _pendingName, NextIndex, kind);
            _literal = null;
            Attach(node);
            AfterValue();
        }

        return i;
    }

    private PartialJsonNode? CurrentParent => _containers.Count == 0 ? null : _containers[^1];

    private int NextIndex => CurrentParent switch
    {
        PartialJsonObject o => o.Count,
        PartialJsonArray a => a.Count,
        _ => 0,
    };

    private void Attach(PartialJsonNode node)
    {
        switch (CurrentParent)
        {
            case PartialJsonObject o:
                o.Add(_pendingName!, node);
                _pendingName = null;
                break;
            case PartialJsonArray a:
                a.Add(node);
                break;
            default:
                Root = node;
                break;
        }

        node.AddedInFeed = _feed;
        _changes.Add(new PartialJsonChange(PartialJsonChangeKind.Added, node));
    }

    private void CloseContainer()
    {
        var container = _containers[^1];
        _containers.RemoveAt(_containers.Count - 1);
        CompleteValue(container);
    }

    private void CompleteValue(PartialJsonNode node)
    {
        node.IsComplete = true;
        _changes.Add(new PartialJsonChange(PartialJsonChangeKind.Completed, node));
        AfterValue();
    }

    private void AfterValue() => _state = _containers.Count == 0 ? ParseState.End : ParseState.AfterValue;

    private void Fail(long position, string message)
    {
        Error = new PartialJsonError(position, message);
        _state = ParseState.Invalid;
    }

    private string Expectation() => _state switch
    {
        ParseState.Value => "a value",
        ParseState.FirstValueOrEnd => "a value or ']'",
        ParseState.FirstNameOrEnd => "a property name or '}'",
        ParseState.Name => "a property name",
        ParseState.InName or ParseState.InString => _decoder.Expectation,
        ParseState.Colon => "':'",
        ParseState.AfterValue => _containers[^1].Kind == JsonValueKind.Object ? "',' or '}'" : "',' or ']'",
        ParseState.InNumber => IsComplete(_numberState) ? "',' or the container's end" : "a digit",
        ParseState.InLiteral => $"'{Encoding.ASCII.GetString(_literal!)}'",
        _ => "nothing",
    };
}
