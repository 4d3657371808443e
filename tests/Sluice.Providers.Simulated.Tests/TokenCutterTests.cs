using Microsoft.ML.Tokenizers;

namespace Sluice.Providers.Simulated.Tests;

public sealed class TokenCutterTests
{
    private static readonly TiktokenTokenizer Tokenizer = TiktokenTokenizer.CreateForModel("gpt-4o");

    [Fact]
    public void Cut_AsciiText_FollowsTokenizerBoundaries()
    {
        const string text = "Streaming `tokenization` works.";

        var pieces = TokenCutter.Cut(text);

        Assert.Equal(Tokenizer.EncodeToTokens(text, out _).Select(t => t.Value), pieces.Select(p => p.Text));
        Assert.All(pieces, p => Assert.Equal(1, p.TokenCount));
    }

    [Fact]
    public void Cut_CharacterSplitAcrossTokens_HoldsBytesForNextPiece()
    {
        // o200k encodes the test tube emoji as three byte-level tokens, none of them a whole character.
        const string text = "a🧪b";
        Assert.True(Tokenizer.CountTokens("🧪") > 1);

        var pieces = TokenCutter.Cut(text);

        Assert.Equal(text, string.Concat(pieces.Select(p => p.Text)));
        Assert.All(pieces, p => Assert.True(TestStreams.IsValidUtf16(p.Text)));
        Assert.Contains(pieces, p => p.Text.Contains("🧪", StringComparison.Ordinal) && p.TokenCount > 1);
        Assert.Equal(Tokenizer.CountTokens(text), pieces.Sum(p => p.TokenCount));
    }

    [Fact]
    public void Cut_MixedScripts_ConcatenatesToInput()
    {
        const string text = "Héllo wörld 🎉 日本語のテキスト 鬱 𝔘 naïve café 😀";

        var pieces = TokenCutter.Cut(text);

        Assert.Equal(text, string.Concat(pieces.Select(p => p.Text)));
        Assert.All(pieces, p => Assert.True(TestStreams.IsValidUtf16(p.Text), p.Text));
        Assert.DoesNotContain(pieces, p => p.Text.Length == 0);
        Assert.Equal(Tokenizer.CountTokens(text), pieces.Sum(p => p.TokenCount));
    }

    [Fact]
    public void Cut_MaxPieceLength_SplitsLongPiecesWithoutBreakingSurrogates()
    {
        var text = new string('=', 40) + "🚀🚀🚀🚀🚀🚀🚀🚀";

        var pieces = TokenCutter.Cut(text, maxPieceLength: 3);

        Assert.Equal(text, string.Concat(pieces.Select(p => p.Text)));
        Assert.All(pieces, p => Assert.InRange(p.Text.Length, 1, 3));
        Assert.All(pieces, p => Assert.True(TestStreams.IsValidUtf16(p.Text)));
    }

    [Fact]
    public void Cut_Empty_ReturnsNoPieces()
    {
        Assert.Empty(TokenCutter.Cut(string.Empty));
    }

    [Fact]
    public void Count_Text_MatchesTokenizer()
    {
        const string text = "Count me: 日本 🚀";

        Assert.Equal(Tokenizer.CountTokens(text), TokenCutter.Count(text));
    }
}
