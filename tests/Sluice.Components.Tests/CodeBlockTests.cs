using Bunit;
using Microsoft.JSInterop;

namespace Sluice.Components.Tests;

public sealed class CodeBlockTests : ComponentTestBase
{
    private const string Code = "def greet(name):\n    return 'hi ' + name\n";

    [Fact]
    public void CodeBlock_HasLanguageLabel_CopyButton_AndHighlightedHtml()
    {
        var cut = RenderCode("```python\n" + Code + "```\n");

        var block = cut.Find("[data-testid=markdown-block]");
        Assert.Equal("code", block.GetAttribute("data-block-kind"));
        var code = block.QuerySelector("[data-testid=code-block]")!;
        Assert.Equal("python", code.GetAttribute("data-language"));
        Assert.Equal("python", code.QuerySelector("[data-testid=code-language]")!.TextContent);
        Assert.Equal("Copy", code.QuerySelector("[data-testid=copy-button]")!.TextContent);
        Assert.NotNull(code.QuerySelector("pre > code.language-python"));
        Assert.NotNull(code.QuerySelector("pre span.keyword")); // ColorCode's classes, styled by sluice-components.css
        Assert.NotNull(code.QuerySelector("pre span.string"));
    }

    [Fact]
    public void CodeBlock_WithoutLanguage_IsLabelledText()
    {
        var cut = RenderCode("```\nplain\n```\n");

        Assert.Equal("text", cut.Find("[data-testid=code-language]").TextContent);
    }

    [Fact]
    public void CopyButton_WritesTheRawCode()
    {
        var module = JSInterop.SetupModule(ModulePath);
        var copy = module.SetupVoid("copyText", Code);
        copy.SetVoidResult();
        var cut = RenderCode("```python\n" + Code + "```\n");

        cut.Find("[data-testid=copy-button]").Click();

        var invocation = Assert.Single(copy.Invocations);
        Assert.Equal(Code, invocation.Arguments[0]);
        Assert.Equal("Copied", cut.Find("[data-testid=copy-button]").TextContent);
        Assert.Equal("copied", cut.Find("[data-testid=copy-button]").GetAttribute("data-copy-state"));
    }

    [Fact]
    public void CopyButton_SaysSo_WhenTheBrowserRefuses()
    {
        var module = JSInterop.SetupModule(ModulePath);
        module.SetupVoid("copyText", Code).SetException(new JSException("NotAllowedError"));
        var cut = RenderCode("```python\n" + Code + "```\n");

        cut.Find("[data-testid=copy-button]").Click();

        Assert.Equal("Copy failed", cut.Find("[data-testid=copy-button]").TextContent);
    }

    [Fact]
    public async Task CodeStillStreaming_ShowsItsLinesAsTheyArrive()
    {
        var feed = MessageFeed.Started().Token("```js\nconst a = 1;\n");
        var cut = Render<StreamingMarkdown>(p => p.Add(c => c.Message, feed.Message));
        Assert.Contains("const a = 1;", cut.Find("pre").TextContent, StringComparison.Ordinal);

        feed.Token("const b = 2;\n");
        cut.Instance.NotifyChanged();
        await FrameAsync();

        Assert.Contains("const b = 2;", cut.Find("pre").TextContent, StringComparison.Ordinal);
        Assert.Single(cut.FindAll("[data-testid=code-block]"));
    }

    private IRenderedComponent<StreamingMarkdown> RenderCode(string markdown)
    {
        var feed = MessageFeed.Started().Token(markdown).Done();
        return Render<StreamingMarkdown>(p => p.Add(c => c.Message, feed.Message));
    }
}
