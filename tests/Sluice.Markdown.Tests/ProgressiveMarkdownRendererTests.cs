namespace Sluice.Markdown.Tests;

public sealed class ProgressiveMarkdownRendererTests
{
    // Feeds the text one character at a time and returns the renderer (not completed).
    private static ProgressiveMarkdownRenderer Trickle(string text)
    {
        var renderer = new ProgressiveMarkdownRenderer();
        foreach (var c in text)
        {
            renderer.Append([c]);
        }

        return renderer;
    }

    private static bool[] Settled(ProgressiveMarkdownRenderer renderer) => [.. renderer.Blocks.Select(b => b.IsSettled)];

    [Fact]
    public void Append_ParagraphThenBlankLine_SettlesTheParagraph()
    {
        var renderer = Trickle("First paragraph.\n\n");

        var block = Assert.Single(renderer.Blocks);
        Assert.True(block.IsSettled);
        Assert.Equal("<p>First paragraph.</p>\n", block.Html);
    }

    [Fact]
    public void Append_ParagraphWithoutBlankLine_StaysOpenForLazyContinuationAndSetext()
    {
        var renderer = Trickle("Title\n");

        Assert.False(Assert.Single(renderer.Blocks).IsSettled);
        renderer.Append("===\n");
        Assert.Equal("<h1>Title</h1>\n", Assert.Single(renderer.Blocks).Html);
    }

    [Fact]
    public void Append_AtxHeadingLineComplete_SettlesAtOnce()
    {
        var renderer = Trickle("## Setup\n");

        Assert.True(Assert.Single(renderer.Blocks).IsSettled);
    }

    [Fact]
    public void Append_BlankLinesInsideFence_DoNotSettleOrSplitIt()
    {
        var renderer = Trickle("```python\ndef f():\n\n\n    return 1\n");

        var block = Assert.Single(renderer.Blocks);
        Assert.False(block.IsSettled);
        Assert.Equal(MarkdownBlockKind.Code, block.Kind);
        Assert.Equal("def f():\n\n\n    return 1\n", block.Code);
    }

    [Fact]
    public void Append_ClosingFenceLineComplete_SettlesTheFence()
    {
        var renderer = Trickle("```js\nlet a = 1;\n```\n");

        var block = Assert.Single(renderer.Blocks);
        Assert.True(block.IsSettled);
        Assert.Equal("js", block.Language);
        Assert.Equal("let a = 1;\n", block.Code);
    }

    [Fact]
    public void Append_ListThenBlankLine_StaysOpenBecauseTheListMayContinue()
    {
        var renderer = Trickle("- one\n- two\n\n");
        Assert.False(Assert.Single(renderer.Blocks).IsSettled);

        renderer.Append("- three\n\nAfter.\n");

        Assert.Equal([true, false], Settled(renderer));
        Assert.Contains("<li><p>three</p>", renderer.Blocks[0].Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_IndentedContinuationAfterBlankLine_StaysInTheListItem()
    {
        var renderer = Trickle("1. Step one\n\n   more about step one\n");

        var block = Assert.Single(renderer.Blocks);
        Assert.Equal(MarkdownBlockKind.List, block.Kind);
        Assert.Contains("more about step one", block.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_LazyContinuationOfBlockQuote_StaysInTheQuote()
    {
        var renderer = Trickle("> quoted line\nlazy line\n");

        var block = Assert.Single(renderer.Blocks);
        Assert.Equal(MarkdownBlockKind.Quote, block.Kind);
        Assert.Contains("lazy line", block.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_BlockQuoteThenBlankLine_Settles()
    {
        var renderer = Trickle("> quoted\n\n");

        Assert.True(Assert.Single(renderer.Blocks).IsSettled);
    }

    [Fact]
    public void Append_TableRows_ContinueTheTableAcrossLines()
    {
        var renderer = Trickle("| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n");

        var block = Assert.Single(renderer.Blocks);
        Assert.Equal(MarkdownBlockKind.Table, block.Kind);
        Assert.False(block.IsSettled);
        Assert.Contains("<td>4</td>", block.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_PartialTableRow_IsPaddedToTheHeader()
    {
        var renderer = Trickle("| a | b |\n|---|---|\n| x");

        Assert.Contains("<td>x</td>\n<td></td>", Assert.Single(renderer.Blocks).Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_NewBlockOnCompleteLine_SettlesTheBlocksBeforeIt()
    {
        var renderer = Trickle("para\n# Heading\nnext");

        Assert.Equal([true, true, false], Settled(renderer));
    }

    [Fact]
    public void Append_FenceLineComplete_IsCodeAtOnceAndContentIsNeverMarkdown()
    {
        var renderer = new ProgressiveMarkdownRenderer();
        renderer.Append("```bash\n");
        Assert.Equal("<pre><code class=\"language-bash\"></code></pre>\n", Assert.Single(renderer.Blocks).Html);

        renderer.Append("# not a heading\n- not a list\n**not bold");

        var block = Assert.Single(renderer.Blocks);
        Assert.Equal(MarkdownBlockKind.Code, block.Kind);
        Assert.DoesNotContain("<h1>", block.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("<strong>", block.Html, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_HalfWrittenFenceLine_ShowsNothingRatherThanText()
    {
        var renderer = Trickle("```pyth");

        Assert.Empty(renderer.Blocks);
    }

    [Fact]
    public void Append_HalfWrittenClosingFence_IsNotShownAsCode()
    {
        var renderer = Trickle("```\ncode\n``");

        Assert.Equal("<pre><code>code\n</code></pre>\n", Assert.Single(renderer.Blocks).Html);
    }

    [Fact]
    public void Append_PartialListMarkerAfterParagraph_DoesNotFlashASetextHeading()
    {
        var renderer = Trickle("Options:\n-");

        Assert.Equal("<p>Options:</p>\n", Assert.Single(renderer.Blocks).Html);
    }

    [Fact]
    public void Append_HighlightedCode_UsesClassesNotStyles()
    {
        var renderer = Trickle("```csharp\nvar x = \"s\"; // note\n```\n");

        var html = Assert.Single(renderer.Blocks).Html;
        Assert.Contains("<span class=\"keyword\">var</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"comment\">// note</span>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Append_RawHtml_IsEscaped()
    {
        var renderer = Trickle("Hi <script>alert(1)</script> <img src=x onerror=alert(1)>\n\n");

        Assert.Equal("<p>Hi &lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(1)&gt;</p>\n", renderer.Blocks[0].Html);
    }

    [Theory]
    [InlineData("[x](javascript:alert(1))", "<p>x</p>\n")]
    [InlineData("<javascript:alert(1)>", "<p>javascript:alert(1)</p>\n")]
    [InlineData("[x](vbscript:msgbox(1))", "<p>x</p>\n")]
    [InlineData("![a](data:image/svg+xml;base64,AAAA)", "<p>a</p>\n")]
    [InlineData("[ok](https://example.com)", "<p><a href=\"https://example.com\">ok</a></p>\n")]
    public void Complete_LinkSchemes_OnlyAllowedOnesBecomeLinks(string markdown, string expected)
    {
        var renderer = new ProgressiveMarkdownRenderer();
        renderer.Append(markdown);
        renderer.Complete();

        Assert.Equal(expected, renderer.ToHtml());
    }

    [Fact]
    public void Complete_ImagesTurnedOff_RendersAltText()
    {
        var renderer = new ProgressiveMarkdownRenderer(new ProgressiveMarkdownOptions { AllowImages = false });
        renderer.Append("![a chart](https://example.com/c.png)");
        renderer.Complete();

        Assert.Equal("<p>a chart</p>\n", renderer.ToHtml());
    }

    [Fact]
    public void Complete_SettlesEverythingAndEqualsWholeDocumentRendering()
    {
        const string Text = "# T\n\n- a\n- b\n\n```py\nx = 1\n";
        var renderer = Trickle(Text);

        var update = renderer.Complete();

        Assert.All(renderer.Blocks, b => Assert.True(b.IsSettled));
        Assert.NotEmpty(update.Settled);
        var pipeline = new Markdig.MarkdownPipelineBuilder().UseSluiceMarkdown().Build();
        Assert.Equal(Markdig.Markdown.ToHtml(Text, pipeline), renderer.ToHtml());
    }

    [Fact]
    public void Append_AfterComplete_Throws()
    {
        var renderer = new ProgressiveMarkdownRenderer();
        renderer.Complete();

        Assert.Throws<InvalidOperationException>(() => renderer.Append("x"));
    }

    [Fact]
    public void Append_Update_ListsAddedChangedRemovedAndSettledKeys()
    {
        var renderer = new ProgressiveMarkdownRenderer();
        var first = renderer.Append("para\n#");
        Assert.Equal([0], first.Added.Select(b => b.Key));

        var second = renderer.Append(" Head\n");
        Assert.Equal([1], second.Added.Select(b => b.Key));
        Assert.Equal([0, 1], second.Settled);

        var third = renderer.Append("x");
        Assert.Equal([2], third.Added.Select(b => b.Key));
        Assert.Empty(third.Changed);
    }

    [Fact]
    public void Append_HeldBackDelta_ReturnsEmptyUpdate()
    {
        var renderer = new ProgressiveMarkdownRenderer();
        renderer.Append("text\n\n");

        Assert.True(renderer.Append("-").IsEmpty);
    }
}
