namespace Sluice.Providers.Simulated;

/// <summary>One built-in answer, tokenized on first use and then shared by every request that picks it.</summary>
internal sealed class Answer
{
    private readonly Lazy<IReadOnlyList<TokenPiece>> _pieces;
    private readonly Lazy<int> _tokenCount;

    public Answer(string name, string text)
    {
        Name = name;
        Text = text;
        _pieces = new(() => TokenCutter.Cut(text));
        _tokenCount = new(() => TokenCutter.Count(text));
    }

    /// <summary>The resource's file name without extension, e.g. <c>python-retry</c>.</summary>
    public string Name { get; }

    /// <summary>The markdown text.</summary>
    public string Text { get; }

    /// <summary>The text as the stream emits it.</summary>
    public IReadOnlyList<TokenPiece> Pieces => _pieces.Value;

    /// <summary>The number of tokenizer tokens, reported as output usage.</summary>
    public int TokenCount => _tokenCount.Value;
}
