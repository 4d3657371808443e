using Sluice.Markdown.Healing;

namespace Sluice.Markdown.Tests.Healing;

public sealed class InlineHealerTests
{
    [Theory]
    [InlineData("some **bold", "some **bold**")]
    [InlineData("some *italic", "some *italic*")]
    [InlineData("some _italic", "some _italic_")]
    [InlineData("some ~~struck", "some ~~struck~~")]
    [InlineData("run `ls -la", "run `ls -la`")]
    [InlineData("**bold and *both", "**bold and *both***")]
    [InlineData("**bold `code", "**bold `code`**")]
    [InlineData("some **bold ", "some **bold** ")]
    [InlineData("a ``tick ` inside", "a ``tick ` inside``")]
    public void Heal_UnclosedInlineMarkup_ClosesItVirtually(string text, string expected)
    {
        Assert.Equal(expected, InlineHealer.Heal(text, 0, out _));
    }

    [Theory]
    [InlineData("see [the docs](https://exa", "see the docs")]
    [InlineData("see [the docs](", "see the docs")]
    [InlineData("see [the docs]", "see the docs")]
    [InlineData("see [the **docs", "see the **docs**")]
    [InlineData("logo ![alt text](https://exa", "logo ")]
    [InlineData("logo ![alt", "logo ")]
    public void Heal_HalfWrittenLinkOrImage_ShowsLinkTextOnly(string text, string expected)
    {
        Assert.Equal(expected, InlineHealer.Heal(text, 0, out _));
    }

    [Theory]
    [InlineData("done [link](https://example.com) and **more**")]
    [InlineData("2 * 3 = 6")]
    [InlineData("snake_case_name")]
    [InlineData("a `code` span")]
    [InlineData("a single ~ tilde")]
    [InlineData("[x] is text")]
    public void Heal_NothingOpen_ReturnsNull(string text)
    {
        Assert.Null(InlineHealer.Heal(text, 0, out _));
    }

    [Theory]
    [InlineData("a **b** *", "a **b** ")]
    [InlineData("price `", "price ")]
    [InlineData("tag <scr", "tag ")]
    [InlineData("AT&am", "AT")]
    [InlineData("path \\", "path ")]
    [InlineData("wow!", "wow")]
    [InlineData("x **", "x ")]
    public void Heal_TrailingRunThatMayGrow_IsHeldBack(string text, string expected)
    {
        Assert.Equal(expected, InlineHealer.Heal(text, 0, out _));
    }

    [Theory]
    [InlineData("[")]
    [InlineData("[x")]
    [InlineData("[ ]")]
    public void Heal_TaskBoxBeingWritten_IsHeldBackNotShownAsText(string text)
    {
        Assert.Equal("", InlineHealer.Heal(text, 0, out _));
    }

    [Fact]
    public void Heal_StarBetweenPunctuation_OpensEmphasis()
    {
        Assert.Equal("(*… ka*", InlineHealer.Heal("(*… ka", 0, out _));
    }

    [Fact]
    public void Heal_OpenerWithNothingAfterIt_IsHiddenNotClosed()
    {
        // "**" + "**" would be a thematic break (Spec 4.1), not empty emphasis.
        Assert.Equal("text", InlineHealer.Heal("text **![img](x", 0, out _));
    }

    [Fact]
    public void Heal_CodeSpanAtEndOfCompleteLine_ClosesBeforeTheNewline()
    {
        // After the newline the closer would be a line of its own: a fence.
        Assert.Equal("see `code`\n", InlineHealer.Heal("see `code\n", 0, out _));
    }

    [Fact]
    public void Heal_RegionStart_IgnoresMarkupBeforeIt()
    {
        var healed = InlineHealer.Heal("**closed para\n\nnew *open", 15, out var firstChange);

        Assert.Equal("**closed para\n\nnew *open*", healed);
        Assert.Equal(24, firstChange);
    }
}
