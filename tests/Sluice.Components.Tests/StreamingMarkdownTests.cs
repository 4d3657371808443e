using Bunit;
using Sluice.Markdown;

namespace Sluice.Components.Tests;

public sealed class StreamingMarkdownTests : ComponentTestBase
{
    [Fact]
    public void FirstRender_ShowsTheTextSoFar_WithoutWaitingForAFrame()
    {
        var feed = MessageFeed.Started().Token("Hello **world**\n\n");

        var cut = Render<StreamingMarkdown>(p => p.Add(c => c.Message, feed.Message));

        var block = cut.Find("[data-testid=markdown-block]");
        Assert.Equal("0", block.GetAttribute("data-block-key"));
        Assert.Equal("paragraph", block.GetAttribute("data-block-kind"));
        Assert.Equal("world", block.QuerySelector("strong")?.TextContent);
        Assert.Equal(0, Scheduler.PendingCount);
    }

    [Fact]
    public async Task ManyEvents_ThenOneFrame_RenderOnce()
    {
        var feed = MessageFeed.Started();
        var cut = Render<StreamingMarkdown>(p => p.Add(c => c.Message, feed.Message));
        Assert.Equal(1, cut.RenderCount);

        const string Text = "Streaming markdown renders **once per frame**, not once per token.\n\nA second paragraph.";
        for (var i = 0; i < Text.Length; i += 3)
        {
            feed.Token(Text.Substring(i, Math.Min(3, Text.Length - i)));
            cut.Instance.NotifyChanged();
        }

        Assert.Equal(1, cut.RenderCount); // nothing rendered per event
        Assert.Equal(1, Scheduler.PendingCount); // one frame asked for, however many events

        await FrameAsync();

        Assert.Equal(2, cut.RenderCount);
        Assert.Equal(2, cut.FindAll("[data-testid=markdown-block]").Count);
        Assert.Contains("once per frame", cut.Find("strong").TextContent, StringComparison.Ordinal);

        await FrameAsync(); // nothing new: no frame work, no render
        Assert.Equal(2, cut.RenderCount);
        Assert.Equal(0, Scheduler.PendingCount);
    }

    [Fact]
    public async Task ParentRerender_WithTheSameMessage_WaitsForTheFrame()
    {
        var feed = MessageFeed.Started();
        var cut = Render<StreamingMarkdown>(p => p.Add(c => c.Message, feed.Message));

        for (var i = 0; i < 10; i++)
        {
            feed.Token("word ");
            cut.Render(p => p.Add(c => c.Message, feed.Message)); // what a parent re-rendering per event does
        }

        Assert.Equal(1, cut.RenderCount);
        Assert.Equal(1, Scheduler.PendingCount);

        await FrameAsync();

        Assert.Equal(2, cut.RenderCount);
        Assert.Contains("word word", cut.Find("p").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EventsThatDoNotChangeTheText_DoNotRender()
    {
        var feed = MessageFeed.Started().Token("Text.");
        var cut = Render<StreamingMarkdown>(p => p.Add(c => c.Message, feed.Message));

        feed.Reasoning("thinking").ToolStart("call-1", "lookup");
        cut.Instance.NotifyChanged();
        await FrameAsync();

        Assert.Equal(1, cut.RenderCount);
    }

    [Fact]
    public async Task SettledBlocks_KeepTheirKeyAndMarkup_WhileTheTailGrows()
    {
        var feed = MessageFeed.Started().Token("# Title\n\nFirst paragraph.\n\nSecond");
        var cut = Render<StreamingMarkdown>(p => p.Add(c => c.Message, feed.Message));

        var title = cut.Find("[data-block-key='0']").OuterHtml;
        var first = cut.Find("[data-block-key='1']").OuterHtml;
        var settledInstance = cut.Instance.Blocks[0];
        Assert.Equal("true", cut.Find("[data-block-key='0']").GetAttribute("data-settled"));
        Assert.Equal("true", cut.Find("[data-block-key='1']").GetAttribute("data-settled"));
        Assert.Equal("false", cut.Find("[data-block-key='2']").GetAttribute("data-settled"));

        foreach (var word in new[] { " paragraph", " keeps", " growing", " word", " by", " word." })
        {
            feed.Token(word);
            cut.Instance.NotifyChanged();
            await FrameAsync();

            Assert.Equal(title, cut.Find("[data-block-key='0']").OuterHtml);
            Assert.Equal(first, cut.Find("[data-block-key='1']").OuterHtml);
            Assert.Same(settledInstance, cut.Instance.Blocks[0]);
        }

        Assert.Equal(3, cut.FindAll("[data-testid=markdown-block]").Count);
        Assert.Equal("Second paragraph keeps growing word by word.", cut.Find("[data-block-key='2']").TextContent.Trim());
    }

    [Fact]
    public async Task SettledCodeBlock_DoesNotRenderAgain()
    {
        var feed = MessageFeed.Started().Token("```python\nprint('hi')\n```\n\nAfter");
        var cut = Render<StreamingMarkdown>(p => p.Add(c => c.Message, feed.Message));
        var code = cut.FindComponent<CodeBlock>();
        Assert.Equal(1, code.RenderCount);

        feed.Token(" the code.");
        cut.Instance.NotifyChanged();
        await FrameAsync();

        Assert.Equal(2, cut.RenderCount);
        Assert.Equal(1, code.RenderCount);
    }

    [Fact]
    public async Task Snapshot_StartsOver()
    {
        var feed = MessageFeed.Started().Token("Old text.\n\nMore old text.");
        var cut = Render<StreamingMarkdown>(p => p.Add(c => c.Message, feed.Message));
        Assert.Equal(2, cut.FindAll("[data-testid=markdown-block]").Count);

        feed.Snapshot("New text");
        cut.Instance.NotifyChanged();
        await FrameAsync();

        var blocks = cut.FindAll("[data-testid=markdown-block]");
        Assert.Single(blocks);
        Assert.Equal("New text", blocks[0].TextContent.Trim());
        Assert.DoesNotContain("Old", cut.Markup, StringComparison.Ordinal);

        feed.Token(", continued.");
        cut.Instance.NotifyChanged();
        await FrameAsync();
        Assert.Equal("New text, continued.", cut.Find("[data-block-key='0']").TextContent.Trim());
    }

    [Fact]
    public async Task CompleteMessage_CompletesTheRenderer()
    {
        var feed = MessageFeed.Started().Token("Some **bold");
        var cut = Render<StreamingMarkdown>(p => p.Add(c => c.Message, feed.Message));

        // While open, the unclosed emphasis is healed...
        Assert.Equal("bold", cut.Find("strong").TextContent);

        feed.Done();
        cut.Instance.NotifyChanged();
        await FrameAsync();

        // ...and once complete it is rendered as written, every block settled.
        Assert.Empty(cut.FindAll("strong"));
        Assert.Equal("Some **bold", cut.Find("p").TextContent);
        Assert.All(cut.FindAll("[data-testid=markdown-block]"), b => Assert.Equal("true", b.GetAttribute("data-settled")));
    }

    [Fact]
    public void AnotherMessage_RendersAtOnce_FromTheStart()
    {
        var first = MessageFeed.Started().Token("First message.");
        var second = MessageFeed.Started().Token("Second message.");
        var cut = Render<StreamingMarkdown>(p => p.Add(c => c.Message, first.Message));

        cut.Render(p => p.Add(c => c.Message, second.Message));

        Assert.Equal("Second message.", cut.Find("p").TextContent);
        Assert.Equal(0, Scheduler.PendingCount);
    }

    [Fact]
    public async Task DisposedComponent_IgnoresAFrameItAskedFor()
    {
        var feed = MessageFeed.Started();
        var cut = Render<StreamingMarkdown>(p => p.Add(c => c.Message, feed.Message));
        feed.Token("late");
        cut.Instance.NotifyChanged();

        await DisposeComponentsAsync();
        await FrameAsync();

        Assert.Equal(1, cut.RenderCount);
    }

    [Fact]
    public void Class_IsAddedToTheContainer()
    {
        var feed = MessageFeed.Started();
        var cut = Render<StreamingMarkdown>(p => p.Add(c => c.Message, feed.Message).Add(c => c.Class, "answer"));

        Assert.Equal("sluice-markdown answer", cut.Find("[data-testid=markdown]").ClassName);
    }

    [Fact]
    public void Options_AreUsed()
    {
        var feed = MessageFeed.Started().Token("![a cat](https://example.com/cat.png)\n\n");
        var cut = Render<StreamingMarkdown>(p => p
            .Add(c => c.Message, feed.Message)
            .Add(c => c.Options, ProgressiveMarkdownOptions.Default with { AllowImages = false }));

        Assert.Empty(cut.FindAll("img"));
        Assert.Contains("a cat", cut.Find("p").TextContent, StringComparison.Ordinal);
    }
}
