using System.Globalization;
using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Sluice.Json.Tests;

/// <summary>
/// FsCheck generators of JSON text in every form the grammar allows: deep nesting, long strings with every escape,
/// characters outside the BMP (raw and as escaped surrogate pairs), numbers in every shape, whitespace anywhere.
/// </summary>
internal static class JsonTextGenerators
{
    public const int MaxDepth = 200;

    private static readonly Gen<string> s_whitespace = Gen.Frequency(
        (6, Gen.Constant("")),
        (2, Gen.Constant(" ")),
        (1, Gen.Elements("\n", "\t", "\r\n", "  \n  ", "\r")));

    private static readonly Gen<string> s_stringPiece = Gen.Frequency(
        (8, Gen.Elements("a", "Z", "hello", " ", "0", "'", "<", "}", "]", ",", ":")),
        (3, Gen.Elements("\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t")),
        (2, Gen.Choose(0x20, 0xD7FF).Where(c => c is not ('"' or '\\')).Select(c => ((char)c).ToString())),                     // raw BMP characters
        (2, Gen.Choose(0, 0xD7FF).Select(c => $"\\u{c:x4}")),                                 // escaped BMP, lower case
        (1, Gen.Choose(0xE000, 0xFFFF).Select(c => $"\\u{c:X4}")),                            // escaped, upper case
        (2, Gen.Choose(0x10000, 0x10FFFF).Select(c => char.ConvertFromUtf32(c))),              // raw outside the BMP
        (1, Gen.Choose(0x10000, 0x10FFFF).Select(EscapedPair)),                                // escaped surrogate pair
        (1, Gen.Elements("\u00e9", "\u6771\u4eac", "\U0001F600", "\u2014", "\\u0000")));

    private static readonly Gen<string> s_number = Gen.Frequency(
        (4, Gen.Choose(-1000, 1000).Select(i => i.ToString(CultureInfo.InvariantCulture))),
        (1, Gen.Elements("0", "-0", "0.0", "-0.0e0", "1E400", "12345678901234567890123", "1e-7", "5E+3", "-1.5e-300")),
        (3, from sign in Gen.Elements("", "-")
            from integer in Gen.Elements("0", "7", "10", "123456")
            from fraction in Gen.Elements("", ".5", ".25", ".000001", ".9999")
            from exponent in Gen.Elements("", "e1", "E2", "e+10", "e-3", "E-0", "e007")
            select sign + integer + fraction + exponent));

    /// <summary>A whole JSON document (a value with whitespace around it).</summary>
    public static Gen<string> Document() =>
        Gen.Frequency((9, Gen.Sized(size => Value(Math.Min(size, 40)))), (1, Deep()))
           .SelectMany(value => s_whitespace, (value, ws) => ws + value)
           .SelectMany(value => s_whitespace, (value, ws) => value + ws);

    /// <summary>Fragment sizes: mostly tiny (1 byte and up), sometimes large, sometimes the whole at once.</summary>
    public static Gen<int[]> Fragmentation() => Gen.Frequency(
        (4, Gen.Choose(1, 4).ArrayOf()),
        (3, Gen.Choose(1, 20).ArrayOf()),
        (1, Gen.Constant(new[] { 1 })),
        (1, Gen.Constant(new[] { int.MaxValue })))
        .Where(sizes => sizes.Length > 0);

    private static Gen<string> Value(int size) => size <= 1
        ? Scalar()
        : Gen.Frequency(
            (3, Scalar()),
            (2, Array(size)),
            (2, Object(size)));

    private static Gen<string> Scalar() => Gen.Frequency(
        (4, String()),
        (3, s_number),
        (1, Gen.Elements("true", "false", "null")));

    private static Gen<string> String() => Gen.Frequency(
            (6, s_stringPiece.ArrayOf()),
            (1, s_stringPiece.ArrayOf().Select(pieces => Enumerable.Repeat(pieces, 40).SelectMany(p => p).ToArray())))
        .Select(pieces => "\"" + string.Concat(pieces) + "\"");

    private static Gen<string> Array(int size) =>
        from count in Gen.Choose(0, 5)
        from items in Value(size / (count + 1)).ArrayOf(count)
        from ws in s_whitespace.ArrayOf(count * 2 + 2)
        select "[" + ws[0] + string.Join(",", items.Select((item, i) => ws[i * 2 + 1] + item + ws[i * 2 + 2])) + ws[^1] + "]";

    private static Gen<string> Object(int size) =>
        from count in Gen.Choose(0, 5)
        from keys in String().ArrayOf(count)
        from values in Value(size / (count + 1)).ArrayOf(count)
        from ws in s_whitespace.ArrayOf(count * 4 + 1)
        select "{" + string.Join(",", Enumerable.Range(0, count).Select(i =>
            // Distinct names: the comparison below is by position, and duplicates are a separate case.
            ws[i * 4] + UniqueKey(keys[i], i) + ws[i * 4 + 1] + ":" + ws[i * 4 + 2] + values[i] + ws[i * 4 + 3])) + ws[^1] + "}";

    private static Gen<string> Deep() =>
        from depth in Gen.Choose(20, MaxDepth)
        from opens in Gen.Elements('[', '{').ArrayOf(depth)
        from leaf in Scalar()
        select Nest(opens, leaf);

    private static string Nest(char[] opens, string leaf)
    {
        var text = new StringBuilder();
        foreach (var open in opens)
        {
            text.Append(open == '[' ? "[" : "{\"k\":");
        }

        text.Append(leaf);
        for (var i = opens.Length - 1; i >= 0; i--)
        {
            text.Append(opens[i] == '[' ? ", 1]" : "}");
        }

        return text.ToString();
    }

    private static string UniqueKey(string quoted, int index) =>
        quoted.Insert(1, index.ToString(CultureInfo.InvariantCulture) + "_");

    private static string EscapedPair(int codePoint)
    {
        var pair = char.ConvertFromUtf32(codePoint);
        return $"\\u{(int)pair[0]:x4}\\u{(int)pair[1]:X4}";
    }
}
