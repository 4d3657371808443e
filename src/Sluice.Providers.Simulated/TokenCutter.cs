using Microsoft.ML.Tokenizers;

namespace Sluice.Providers.Simulated;

/// <summary>Cuts text where the o200k BPE tokenizer (GPT-4o's) puts token boundaries.</summary>
internal static class TokenCutter
{
    // Loading the o200k vocabulary takes a noticeable moment and a few MB, so one instance serves every source;
    // TiktokenTokenizer is safe for concurrent use.
    private static readonly Lazy<TiktokenTokenizer> Tokenizer = new(() => TiktokenTokenizer.CreateForModel("gpt-4o"));

    /// <summary>The number of o200k tokens in <paramref name="text"/>.</summary>
    public static int Count(string text) => Tokenizer.Value.CountTokens(text);

    /// <summary>Cuts <paramref name="text"/> into pieces whose concatenation is exactly the text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="maxPieceLength">Longer pieces are split further, never inside a surrogate pair.</param>
    public static IReadOnlyList<TokenPiece> Cut(string text, int maxPieceLength = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPieceLength, 2);

        var tokens = Tokenizer.Value.EncodeToTokens(text, out _);
        var pieces = new List<TokenPiece>(tokens.Count);
        var emitted = 0;
        var held = 0;
        for (var i = 0; i < tokens.Count; i++)
        {
            held++;

            // A token that ends inside a multi-byte character reports the whole character as its offset, and so
            // does the token that completes it: the next token then starts before this one ends. Only the text up
            // to that character is complete; its bytes are held back and go out with the next piece, as a real
            // provider's UTF-8 decoder would do.
            var end = tokens[i].Offset.End.GetOffset(text.Length);
            if (i + 1 < tokens.Count)
            {
                end = Math.Min(end, tokens[i + 1].Offset.Start.GetOffset(text.Length));
            }

            if (end <= emitted)
            {
                continue;
            }

            AddSplit(pieces, text[emitted..end], held, maxPieceLength);
            emitted = end;
            held = 0;
        }

        if (emitted != text.Length)
        {
            throw new InvalidOperationException("The tokenizer's offsets do not cover the text.");
        }

        return pieces;
    }

    private static void AddSplit(List<TokenPiece> pieces, string text, int tokenCount, int maxPieceLength)
    {
        var start = 0;
        while (text.Length - start > maxPieceLength)
        {
            var length = char.IsHighSurrogate(text[start + maxPieceLength - 1]) ? maxPieceLength - 1 : maxPieceLength;
            pieces.Add(new TokenPiece(text.Substring(start, length), tokenCount));
            tokenCount = 0;
            start += length;
        }

        pieces.Add(new TokenPiece(text[start..], tokenCount));
    }
}
