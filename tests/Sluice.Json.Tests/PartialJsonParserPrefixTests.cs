using System.Text;

namespace Sluice.Json.Tests;

/// <summary>The partial-value semantics, one tricky prefix at a time (each fed whole, as one fragment).</summary>
public class PartialJsonParserPrefixTests
{
    private const string Nothing = "(nothing)";

    // Each row: the prefix, and the partial value it shows (compact JSON), or Nothing before the root is visible.
    public static TheoryData<string, string> Prefixes => new()
    {
        { "{\"city\":\"Par", "{\"city\":\"Par\"}" },
        { "{\"a\":\"x\\", "{\"a\":\"x\"}" },                       // cut right after a backslash
        { "{\"a\":\"x\\u00", "{\"a\":\"x\"}" },                    // cut inside \uXXXX
        { "{\"a\":\"x\\u00e9", "{\"a\":\"x\u00e9\"}" },
        { "{\"a\":\"x\\n", "{\"a\":\"x\\n\"}" },
        { "\"\\ud83d", "\"\"" },                                   // a high surrogate waits for its pair
        { "\"\\ud83d\\", "\"\"" },
        { "\"\\ud83d\\ude0", "\"\"" },
        { "\"\\ud83d\\ude00", "\"\\uD83D\\uDE00\"" },              // the pair appears whole
        { "-", Nothing },
        { "[-", "[]" },
        { "[1.", "[]" },
        { "[1e", "[]" },
        { "[1e+", "[]" },
        { "[1e+5", "[1e+5]" },
        { "[12", "[12]" },
        { "-0.5e-3", "-0.5e-3" },
        { "0", "0" },
        { "tru", Nothing },
        { "[tru", "[]" },
        { "[true", "[true]" },
        { "{\"a\":nul", "{}" },                                    // the property waits for its value to begin
        { "{\"a\":null", "{\"a\":null}" },
        { "{\"ke", "{}" },                                         // a key appears only when complete...
        { "{\"key\"", "{}" },
        { "{\"key\":", "{}" },
        { "{\"key\": \"", "{\"key\":\"\"}" },                      // ...and its value has begun
        { "{\"a\":1,", "{\"a\":1}" },
        { "{\"a\":1,\"", "{\"a\":1}" },
        { " \n\t{ \"a\" :\r\n [ 1 , 2", "{\"a\":[1,2]}" },        // whitespace everywhere
        { "{\"a\":{\"b\":[{\"c\":\"d", "{\"a\":{\"b\":[{\"c\":\"d\"}]}}" },
        { "[[[", "[[[]]]" },                                       // containers appear as soon as opened
        { "{", "{}" },
        { "[\"a\",\"b", "[\"a\",\"b\"]" },
        { "[{}, [], \"\", 0, false", "[{},[],\"\",0,false]" },
        { "\"caf\u00e9 \u6771\u4eac", "\"caf\u00e9 \u6771\u4eac\"" },
    };

    // Each row: the input, the byte position of the error, and words its message must contain.
    public static TheoryData<string, long, string> Errors => new()
    {
        { "[1,]", 3, "expected a value, found ']'" },
        { "{\"a\" 1", 5, "expected ':'" },
        { "[01", 2, "leading zeros" },
        { "[\"\\x", 3, "expected an escape character" },
        { "[\"a\tb\"]", 3, "control character 0x09" },
        { "{} {}", 3, "expected the end of input" },
        { "[-a", 2, "expected a digit, found 'a'" },
        { "[1.]", 3, "expected a digit, found ']'" },
        { "[truex", 5, "expected ',' or ']'" },
        { "[nulL", 4, "expected 'null', found 'L'" },
        { "{1:2}", 1, "expected a property name or '}'" },
        { "{\"a\":1,}", 7, "expected a property name, found '}'" },
        { "{\"a\":1}}", 7, "expected the end of input" },
        { "\"\\u00G", 5, "expected a hexadecimal digit, found 'G'" },
        { "\"\\uDC00", 6, "low surrogate escape without a high surrogate" },
        { "\"\\uD800x", 7, "expected a low surrogate" },
        { "\"\\uD800\\n", 8, "expected a low surrogate" },
        { "[1 2]", 3, "expected ',' or ']' after an array element, found '2'" },
        { "{\"a\":1 \"b\"", 7, "expected ',' or '}' after a property value" },
        { "]", 0, "expected a value, found ']'" },
        { "'a'", 0, "expected a value, found '''" },
    };

    [Theory]
    [MemberData(nameof(Prefixes))]
    public void Feed_Prefix_ShowsExpectedPartialValue(string prefix, string expected)
    {
        var parser = new PartialJsonParser();

        var status = parser.Feed(Encoding.UTF8.GetBytes(prefix));

        Assert.NotEqual(PartialJsonStatus.Invalid, status);
        Assert.Equal(expected, parser.Root?.ToJsonString() ?? Nothing);
    }

    [Theory]
    [MemberData(nameof(Prefixes))]
    public void Feed_PrefixOneByteAtATime_ShowsTheSameValueAsWhole(string prefix, string expected)
    {
        var parser = new PartialJsonParser();
        var bytes = Encoding.UTF8.GetBytes(prefix);

        foreach (var b in bytes)
        {
            parser.Feed([b]);
        }

        // Fed byte by byte a number may have shown a shorter valid prefix (e.g. "1" of "1.") that it keeps showing;
        // every other prefix shows exactly what it shows when fed whole.
        var shown = parser.Root?.ToJsonString() ?? Nothing;
        if (prefix.EndsWith('.') || prefix.EndsWith('e') || prefix.EndsWith('+'))
        {
            Assert.StartsWith(expected.TrimEnd(']'), shown, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(expected, shown);
        }
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void Feed_InvalidInput_StopsWithPositionAndExpectation(string input, long position, string message)
    {
        var parser = new PartialJsonParser();

        var status = parser.Feed(Encoding.UTF8.GetBytes(input));

        Assert.Equal(PartialJsonStatus.Invalid, status);
        Assert.NotNull(parser.Error);
        Assert.Equal(position, parser.Error.Position);
        Assert.Contains(message, parser.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public void Feed_InvalidInputOneByteAtATime_ReportsTheSamePosition(string input, long position, string message)
    {
        var parser = new PartialJsonParser();

        foreach (var b in Encoding.UTF8.GetBytes(input))
        {
            parser.Feed([b]);
        }

        Assert.Equal(PartialJsonStatus.Invalid, parser.Status);
        Assert.Equal(position, parser.Error!.Position);
        Assert.Contains(message, parser.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Feed_Utf8CharacterSplitAcrossFragments_AppearsWhenComplete()
    {
        var parser = new PartialJsonParser();
        var bytes = Encoding.UTF8.GetBytes("\"a\U0001F600");

        parser.Feed(bytes.AsSpan(0, 3));
        Assert.Equal("\"a\"", parser.Root!.ToJsonString());
        parser.Feed(bytes.AsSpan(3, 2));
        Assert.Equal("a", ((PartialJsonString)parser.Root).GetString());
        parser.Feed(bytes.AsSpan(5));

        Assert.Equal("a\U0001F600", ((PartialJsonString)parser.Root).GetString());
    }

    [Theory]
    [InlineData(new byte[] { (byte)'"', 0xC3, 0x28 }, 1)]          // a lead byte followed by ASCII
    [InlineData(new byte[] { (byte)'"', 0xC0, 0x80 }, 1)]          // an overlong encoding
    [InlineData(new byte[] { (byte)'"', 0xED, 0xA0, 0x80 }, 1)]    // an encoded surrogate
    [InlineData(new byte[] { (byte)'"', 0xFF }, 1)]
    [InlineData(new byte[] { (byte)'"', 0xC3, (byte)'"' }, 1)]     // a character cut by the closing quote
    public void Feed_InvalidUtf8InString_IsInvalid(byte[] input, long position)
    {
        var whole = new PartialJsonParser();
        whole.Feed(input);
        var trickled = new PartialJsonParser();
        foreach (var b in input)
        {
            trickled.Feed([b]);
        }

        Assert.Equal(PartialJsonStatus.Invalid, whole.Status);
        Assert.Equal(PartialJsonStatus.Invalid, trickled.Status);
        Assert.Contains("UTF-8", whole.Error!.Message, StringComparison.Ordinal);
        Assert.InRange(whole.Error.Position, position, input.Length - 1);
        Assert.InRange(trickled.Error!.Position, position, input.Length - 1);
    }

    [Theory]
    [InlineData("", 0, "expected a value")]
    [InlineData("{\"a\":\"b\"", 8, "expected ',' or '}'")]
    [InlineData("[1.", 3, "expected a digit")]
    [InlineData("\"abc", 4, "'\"' to close the string")]
    [InlineData("\"a\\u12", 6, "a hexadecimal digit")]
    [InlineData("tr", 2, "expected 'true'")]
    [InlineData("{\"a\"", 4, "expected ':'")]
    public void Complete_InputEndsEarly_IsInvalidAtTheEnd(string input, long position, string message)
    {
        var parser = new PartialJsonParser();
        parser.Feed(Encoding.UTF8.GetBytes(input));

        var status = parser.Complete();

        Assert.Equal(PartialJsonStatus.Invalid, status);
        Assert.Equal(position, parser.Error!.Position);
        Assert.Contains(message, parser.Error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("12", "12")]
    [InlineData("-0.5E+10 \n", "-0.5E+10")]
    [InlineData("\"done\"  ", "\"done\"")]
    [InlineData(" null ", "null")]
    public void Complete_WholeRootValue_IsComplete(string input, string expected)
    {
        var parser = new PartialJsonParser();
        parser.Feed(Encoding.UTF8.GetBytes(input));

        var status = parser.Complete();

        Assert.Equal(PartialJsonStatus.Complete, status);
        Assert.True(parser.Root!.IsComplete);
        Assert.Equal(expected, parser.Root.ToJsonString());
    }

    [Fact]
    public void Feed_RootNumber_StaysIncompleteUntilTheInputEnds()
    {
        var parser = new PartialJsonParser();

        Assert.Equal(PartialJsonStatus.Incomplete, parser.Feed("12"u8));
        Assert.False(parser.Root!.IsComplete);
        Assert.Equal(PartialJsonStatus.Complete, parser.Complete());
    }

    [Fact]
    public void Feed_DeeperThanMaxDepth_IsInvalid()
    {
        var parser = new PartialJsonParser(new PartialJsonParserOptions { MaxDepth = 3 });

        parser.Feed("[[[["u8);

        Assert.Equal(PartialJsonStatus.Invalid, parser.Status);
        Assert.Equal(3, parser.Error!.Position);
        Assert.Contains("maximum of 3", parser.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Feed_AfterInvalid_IgnoresInput()
    {
        var parser = new PartialJsonParser();
        parser.Feed("[1,]"u8);
        var error = parser.Error;

        parser.Feed("[1]"u8);

        Assert.Same(error, parser.Error);
        Assert.Equal(PartialJsonStatus.Invalid, parser.Complete());
        Assert.Same(error, parser.Error);
    }

    [Fact]
    public void Feed_Chars_SurrogatePairSplitAcrossFragments_DecodesWhole()
    {
        var parser = new PartialJsonParser();
        var text = "[\"\U0001F600\"]";

        parser.Feed(text.AsSpan(0, 3));
        parser.Feed(text.AsSpan(3));

        Assert.Equal(PartialJsonStatus.Complete, parser.Status);
        Assert.Equal("\U0001F600", ((PartialJsonString)((PartialJsonArray)parser.Root!)[0]).GetString());
    }

    [Fact]
    public void MaxDepth_LessThanOne_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>("MaxDepth", () => new PartialJsonParserOptions { MaxDepth = 0 });
}
