namespace Sluice.Providers.Simulated.Tests;

public sealed class AnswerLibraryTests
{
    private static string AllText => string.Join("\n", AnswerLibrary.All.Select(a => a.Text));

    [Fact]
    public void All_HasAtLeastFiveRealisticAnswers()
    {
        Assert.True(AnswerLibrary.All.Count >= 5);
        Assert.All(AnswerLibrary.All, a => Assert.InRange(a.Text.Length, 600, 2500));
        Assert.All(AnswerLibrary.All, a => Assert.DoesNotContain('\r', a.Text));
    }

    [Fact]
    public void All_IsOrderedByName()
    {
        Assert.Equal(AnswerLibrary.All.Select(a => a.Name).Order(StringComparer.Ordinal), AnswerLibrary.All.Select(a => a.Name));
    }

    [Theory]
    [InlineData("```python\n")]
    [InlineData("```csharp\n")]
    [InlineData("```bash\n")]
    [InlineData("```json\n")]
    [InlineData("\n- ")]
    [InlineData("\n1. ")]
    [InlineData("|---|")]
    [InlineData("](https://")]
    [InlineData("\n## ")]
    [InlineData("**")]
    public void All_TogetherCoverMarkdownFeature(string marker)
    {
        Assert.Contains(marker, AllText, StringComparison.Ordinal);
    }

    [Fact]
    public void All_TogetherContainMultiByteCharacters()
    {
        var text = AllText;

        Assert.Contains(text, c => c is >= 'À' and <= 'ÿ');
        Assert.Contains(text, char.IsSurrogate);
        Assert.Contains(text, c => c is >= '\u4E00' and <= '\u9FFF');
    }

    [Fact]
    public void Pick_SameHash_ReturnsSameAnswer()
    {
        Assert.Same(AnswerLibrary.Pick(12345), AnswerLibrary.Pick(12345));
    }

    [Fact]
    public void Pick_AcrossHashes_ReachesEveryAnswer()
    {
        var picked = Enumerable.Range(0, AnswerLibrary.All.Count).Select(i => AnswerLibrary.Pick((ulong)i)).Distinct();

        Assert.Equal(AnswerLibrary.All.Count, picked.Count());
    }

    [Fact]
    public void TokenCount_Answer_EqualsPieceTokenTotal()
    {
        Assert.All(AnswerLibrary.All, a => Assert.Equal(a.TokenCount, a.Pieces.Sum(p => p.TokenCount)));
    }
}
