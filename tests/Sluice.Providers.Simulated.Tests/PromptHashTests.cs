using System.Text;

namespace Sluice.Providers.Simulated.Tests;

public sealed class PromptHashTests
{
    [Theory]
    [InlineData("", 0xcbf29ce484222325)]
    [InlineData("a", 0xaf63dc4c8601ec8c)]
    [InlineData("foobar", 0x85944171f73967e8)]
    public void Compute_KnownVectors_MatchFnv1a64(string text, ulong expected)
    {
        Assert.Equal(expected, PromptHash.Compute(text));
    }

    [Fact]
    public void Compute_NonAscii_HashesUtf8Bytes()
    {
        const string text = "naïve café 日本 🚀";
        var expected = 14695981039346656037;
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            expected = unchecked((expected ^ b) * 1099511628211);
        }

        Assert.Equal(expected, PromptHash.Compute(text));
    }

    [Fact]
    public void ToHex_Hash_IsSixteenLowercaseDigits()
    {
        Assert.Equal("00000000000000ff", PromptHash.ToHex(255));
    }
}
