using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace Sluice.Json;

/// <summary>
/// Unescapes the inside of a JSON string from UTF-8 fragments into UTF-16, carrying a half-read escape, a high surrogate
/// waiting for its pair, or a UTF-8 sequence cut between fragments over to the next one. Each byte is looked at once.
/// </summary>
/// <remarks>
/// NOTE: <see cref="System.Text.Json.Utf8JsonReader"/> with <c>isFinalBlock: false</c> cannot be used: it hands back an
/// unfinished string token as "need more data" and re-reads it from its start on the next fragment, which is quadratic
/// inside one long string. This decoder only ever continues.
/// </remarks>
internal struct JsonStringDecoder
{
    // Spec (RFC 8259 §7): '"' ends the string, '\' starts an escape, U+0000..U+001F must be escaped.
    private static readonly SearchValues<byte> s_special = SearchValues.Create(
        [(byte)'"', (byte)'\\', 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x0E, 0x0F,
         0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x1B, 0x1C, 0x1D, 0x1E, 0x1F]);

    private EscapeState _escape;
    private int _hexDigits;
    private int _codeUnit;
    private char _highSurrogate;
    private uint _pendingUtf8;
    private int _pendingUtf8Count;

    private enum EscapeState : byte
    {
        None,
        Backslash,
        Unicode,
        AfterHighSurrogate,
        AfterHighSurrogateBackslash,
    }

    public enum Result : byte
    {
        NeedMoreData,
        Closed,
        Invalid,
    }

    public void Reset() => this = default;

    /// <summary>Decodes from <paramref name="input"/> into <paramref name="output"/> until the closing quote or the end of the input.</summary>
    /// <param name="input">The bytes after the opening quote or where the last fragment stopped.</param>
    /// <param name="output">Receives the unescaped characters.</param>
    /// <param name="consumed">Bytes used, the closing quote included; for <see cref="Result.Invalid"/>, the offset of the bad byte.</param>
    /// <param name="error">For <see cref="Result.Invalid"/>, what was wrong.</param>
    public Result Decode(ReadOnlySpan<byte> input, ref CharBuffer output, out int consumed, out string? error)
    {
        var i = 0;
        error = null;
        while (i < input.Length)
        {
            if (_escape != EscapeState.None)
            {
                if (!DecodeEscapeByte(input[i], ref output, out error))
                {
                    consumed = i;
                    return Result.Invalid;
                }

                i++;
                continue;
            }

            if (_pendingUtf8Count > 0)
            {
                if (!ContinueUtf8(input, ref i, ref output, out error))
                {
                    consumed = i;
                    return Result.Invalid;
                }

                continue;
            }

            // The fast path: transcode the whole run up to the next quote, backslash or control character at once.
            var rest = input[i..];
            var runLength = rest.IndexOfAny(s_special);
            var run = runLength < 0 ? rest : rest[..runLength];
            if (!run.IsEmpty)
            {
                var status = Utf8.ToUtf16(run, output.GetSpan(run.Length), out var read, out var written, replaceInvalidSequences: false, isFinalBlock: false);
                output.Advance(written);
                i += read;
                if (status == OperationStatus.InvalidData)
                {
                    consumed = i;
                    error = "invalid UTF-8 in a string";
                    return Result.Invalid;
                }

                if (status == OperationStatus.NeedMoreData)
                {
                    if (runLength >= 0)
                    {
                        // A multi-byte character cut short by a quote, backslash or control byte.
                        consumed = i;
                        error = "invalid UTF-8 in a string";
                        return Result.Invalid;
                    }

                    // A character cut between fragments: keep its first bytes for the next one.
                    StartPendingUtf8(input[i..]);
                    consumed = input.Length;
                    return Result.NeedMoreData;
                }

                continue;
            }

            var b = input[i];
            if (b == (byte)'"')
            {
                consumed = i + 1;
                return Result.Closed;
            }

            if (b == (byte)'\\')
            {
                _escape = EscapeState.Backslash;
                i++;
                continue;
            }

            consumed = i;
            error = $"expected a character, found the control character 0x{b:X2} (it must be escaped)";
            return Result.Invalid;
        }

        consumed = input.Length;
        return Result.NeedMoreData;
    }

    /// <summary>What the decoder waits for, for the message of a document that ended inside a string.</summary>
    public readonly string Expectation => _escape switch
    {
        EscapeState.Backslash => "an escape character",
        EscapeState.Unicode => "a hexadecimal digit",
        EscapeState.AfterHighSurrogate or EscapeState.AfterHighSurrogateBackslash => "a low surrogate escape (\\uDC00-\\uDFFF)",
        _ => "'\"' to close the string",
    };

    private bool DecodeEscapeByte(byte b, ref CharBuffer output, out string? error)
    {
        error = null;
        switch (_escape)
        {
            case EscapeState.Backslash:
                char simple;
                switch (b)
                {
                    case (byte)'"': simple = '"'; break;
                    case (byte)'\\': simple = '\\'; break;
                    case (byte)'/': simple = '/'; break;
                    case (byte)'b': simple = '\b'; break;
                    case (byte)'f': simple = '\f'; break;
                    case (byte)'n': simple = '\n'; break;
                    case (byte)'r': simple = '\r'; break;
                    case (byte)'t': simple = '\t'; break;
                    case (byte)'u':
                        _escape = EscapeState.Unicode;
                        _hexDigits = 0;
                        _codeUnit = 0;
                        return true;
                    default:
                        error = $"expected an escape character (one of \"\\/bfnrtu), found {Describe(b)}";
                        return false;
                }

                if (_highSurrogate != 0)
                {
                    error = "expected a low surrogate escape (\\uDC00-\\uDFFF) after a high surrogate";
                    return false;
                }

                output.Append(simple);
                _escape = EscapeState.None;
                return true;

            case EscapeState.Unicode:
                var digit = HexValue(b);
                if (digit < 0)
                {
                    error = $"expected a hexadecimal digit, found {Describe(b)}";
                    return false;
                }

                _codeUnit = (_codeUnit << 4) | digit;
                if (++_hexDigits < 4)
                {
                    return true;
                }

                return CompleteCodeUnit((char)_codeUnit, ref output, out error);

            case EscapeState.AfterHighSurrogate:
                if (b != (byte)'\\')
                {
                    error = $"expected a low surrogate escape (\\uDC00-\\uDFFF) after a high surrogate, found {Describe(b)}";
                    return false;
                }

                _escape = EscapeState.AfterHighSurrogateBackslash;
                return true;

            default: // AfterHighSurrogateBackslash
                if (b != (byte)'u')
                {
                    error = $"expected a low surrogate escape (\\uDC00-\\uDFFF) after a high surrogate, found {Describe(b)}";
                    return false;
                }

                _escape = EscapeState.Unicode;
                _hexDigits = 0;
                _codeUnit = 0;
                return true;
        }
    }

    // NOTE: a lone surrogate is well-formed JSON text, but System.Text.Json refuses to read it as a string and it
    // cannot be carried as valid UTF-8 or UTF-16, so it is treated as invalid here.
    private bool CompleteCodeUnit(char codeUnit, ref CharBuffer output, out string? error)
    {
        error = null;
        if (_highSurrogate != 0)
        {
            if (!char.IsLowSurrogate(codeUnit))
            {
                error = "expected a low surrogate escape (\\uDC00-\\uDFFF) after a high surrogate";
                return false;
            }

            // The pair appears whole, never half.
            output.Append(_highSurrogate);
            output.Append(codeUnit);
            _highSurrogate = '\0';
        }
        else if (char.IsHighSurrogate(codeUnit))
        {
            _highSurrogate = codeUnit;
            _escape = EscapeState.AfterHighSurrogate;
            return true;
        }
        else if (char.IsLowSurrogate(codeUnit))
        {
            error = "found a low surrogate escape without a high surrogate before it";
            return false;
        }
        else
        {
            output.Append(codeUnit);
        }

        _escape = EscapeState.None;
        return true;
    }

    private void StartPendingUtf8(ReadOnlySpan<byte> head)
    {
        _pendingUtf8 = 0;
        foreach (var b in head)
        {
            _pendingUtf8 = (_pendingUtf8 << 8) | b;
        }

        _pendingUtf8Count = head.Length;
    }

    /// <summary>Adds bytes to a UTF-8 sequence cut by the previous fragment until it decodes (or proves invalid).</summary>
    private bool ContinueUtf8(ReadOnlySpan<byte> input, ref int i, ref CharBuffer output, out string? error)
    {
        error = null;
        Span<byte> sequence = stackalloc byte[4];
        for (var k = 0; k < _pendingUtf8Count; k++)
        {
            sequence[k] = (byte)(_pendingUtf8 >> (8 * (_pendingUtf8Count - 1 - k)));
        }

        var length = _pendingUtf8Count;
        while (i < input.Length && length < 4)
        {
            sequence[length++] = input[i++];
            var status = Rune.DecodeFromUtf8(sequence[..length], out var rune, out var used);
            if (status == OperationStatus.Done && used == length)
            {
                var chars = output.GetSpan(2);
                output.Advance(rune.EncodeToUtf16(chars));
                _pendingUtf8Count = 0;
                return true;
            }

            if (status != OperationStatus.NeedMoreData)
            {
                i--;
                error = "invalid UTF-8 in a string";
                return false;
            }
        }

        StartPendingUtf8(sequence[..length]);
        return true;
    }

    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };

    internal static string Describe(byte b) => b is >= 0x21 and < 0x7F
        ? $"'{(char)b}'"
        : string.Create(CultureInfo.InvariantCulture, $"0x{b:X2}");
}
