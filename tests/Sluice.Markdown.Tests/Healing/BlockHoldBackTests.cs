using Sluice.Markdown.Healing;

namespace Sluice.Markdown.Tests.Healing;

public sealed class BlockHoldBackTests
{
    [Theory]
    [InlineData("para\n-", 5)]
    [InlineData("para\n- ", 5)]
    [InlineData("para\n1.", 5)]
    [InlineData("para\n#", 5)]
    [InlineData("para\n## ", 5)]
    [InlineData("para\n>", 5)]
    [InlineData("para\n```py", 5)]
    [InlineData("para\n~~~", 5)]
    [InlineData("para\n==", 5)]
    [InlineData("para\n***", 5)]
    [InlineData("- item\n  - ", 7)]
    public void Cut_PartialLineThatIsOnlyBlockSyntax_IsHeldBack(string text, int expected)
    {
        Assert.Equal(expected, BlockHoldBack.Cut(text));
    }

    [Theory]
    [InlineData("para\n- x")]
    [InlineData("para\n# T")]
    [InlineData("para\n> q")]
    [InlineData("para\n`code` is")]
    [InlineData("para\nmore text")]
    public void Cut_PartialLineWithContent_IsShown(string text)
    {
        Assert.Equal(text.Length, BlockHoldBack.Cut(text));
    }

    [Theory]
    [InlineData("Intro\n\n| a | b |\n", 7)]
    [InlineData("Intro\n\n| a | b |\n|---|--", 7)]
    [InlineData("Intro\n\n| a | b", 7)]
    public void Cut_TableHeaderBeforeItsDelimiterRow_IsHeldBack(string text, int expected)
    {
        Assert.Equal(expected, BlockHoldBack.Cut(text));
    }

    [Theory]
    [InlineData("| a | b |\n|---|---|\n")]
    [InlineData("| a | b |\n|---|---|\n| c")]
    [InlineData("| a | b |\nnot a table\n")]
    public void Cut_TableWithDelimiterRowOrNoTable_IsShown(string text)
    {
        Assert.Equal(text.Length, BlockHoldBack.Cut(text));
    }
}
