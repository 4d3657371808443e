namespace Sluice.Json;

/// <summary>A growable run of UTF-16 code units that only ever appends: amortized O(1) per character.</summary>
/// <remarks>
/// NOTE: <see cref="System.Text.StringBuilder"/> would do, but it cannot lend its content as one span (it is chunked),
/// and a UI reading a long partial string after every fragment should not pay a copy each time.
/// </remarks>
internal struct CharBuffer
{
    private char[] _chars;
    private int _length;

    public CharBuffer(int capacity) => _chars = capacity == 0 ? [] : new char[capacity];

    public readonly int Length => _length;

    public readonly ReadOnlySpan<char> Span => _chars.AsSpan(0, _length);

    public void Append(char value)
    {
        if (_length == _chars.Length)
        {
            Grow(1);
        }

        _chars[_length++] = value;
    }

    public void Append(ReadOnlySpan<char> value)
    {
        value.CopyTo(GetSpan(value.Length));
        _length += value.Length;
    }

    /// <summary>Room for at least <paramref name="sizeHint"/> characters past the end; commit them with <see cref="Advance"/>.</summary>
    public Span<char> GetSpan(int sizeHint)
    {
        if (_chars.Length - _length < sizeHint)
        {
            Grow(sizeHint);
        }

        return _chars.AsSpan(_length);
    }

    public void Advance(int count) => _length += count;

    public void Clear() => _length = 0;

    private void Grow(int needed)
    {
        // Doubling keeps the total copying linear in the final length.
        var capacity = Math.Max(Math.Max(_chars.Length * 2, _length + needed), 16);
        Array.Resize(ref _chars, capacity);
    }
}
