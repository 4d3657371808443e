using AngleSharp.Dom;
using Bunit;
using Sluice.Markdown;
using Sluice.Protocol;

namespace Sluice.Components.Tests;

/// <summary>Model output is untrusted: whatever it writes, the page gets text or the markdown library's safe HTML.</summary>
public sealed class EscapingTests : ComponentTestBase
{
    public static TheoryData<string, string> Payloads => new()
    {
        { "Look: <script>alert(1)</script> done.", "<script>alert(1)</script>" },
        { "An image <img src=x onerror=alert(1)> here.", "<img src=x onerror=alert(1)>" },
        { "A [x](javascript:alert(1)) link.", "x" },
        { "<script>alert(1)</script>\n\n", "<script>alert(1)</script>" },
        { "<img src=x onerror=alert(1)>\n\n", "<img src=x onerror=alert(1)>" },
        { "[click](javascript:alert(1))\n\n[also](JaVaScRiPt:alert(1))", "click" },
        { "<a href=\"javascript:alert(1)\">x</a>", "<a href=\"javascript:alert(1)\">x</a>" },
    };

    [Theory]
    [MemberData(nameof(Payloads))]
    public async Task ModelText_RendersAsTextOrSafeLinks_WhileStreamingAndComplete(string text, string visible)
    {
        var feed = MessageFeed.Started();
        var cut = Render<StreamingMarkdown>(p => p.Add(c => c.Message, feed.Message));

        // Token by token, checking every frame: the healed, half-written states must be as safe as the end.
        foreach (var ch in text)
        {
            feed.Token(ch.ToString());
            cut.Instance.NotifyChanged();
            await FrameAsync();
            AssertSafe(cut.Find("[data-testid=markdown]"));
        }

        feed.Done();
        cut.Instance.NotifyChanged();
        await FrameAsync();

        var container = cut.Find("[data-testid=markdown]");
        AssertSafe(container);
        Assert.Contains(visible, container.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void CodeBlockLanguage_IsText()
    {
        var block = new MarkdownBlock(0, MarkdownBlockKind.Code, "<pre><code>x\n</code></pre>\n", true, "<img src=x onerror=alert(1)>", "x\n");

        var cut = Render<CodeBlock>(p => p.Add(c => c.Block, block));

        AssertSafe(cut.Find("[data-testid=code-block]"));
        Assert.Equal("<img src=x onerror=alert(1)>", cut.Find("[data-testid=code-language]").TextContent);
    }

    [Fact]
    public void CodeBlockContent_IsEscapedByTheMarkdownLibrary()
    {
        var feed = MessageFeed.Started().Token("```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```\n").Done();

        var cut = Render<StreamingMarkdown>(p => p.Add(c => c.Message, feed.Message));

        var code = cut.Find("[data-testid=code-block]");
        AssertSafe(code);
        Assert.Contains("<script>alert(1)</script>", code.QuerySelector("pre")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ToolCall_NameAndArguments_AreText()
    {
        var feed = MessageFeed.Started()
            .ToolStart("call-1", "<script>alert(1)</script>")
            .ToolDelta("call-1", "{\"html\": \"<img src=x onerror=alert(1)>\", \"bad\": <script>");

        var cut = Render<ToolCallCard>(p => p.Add(c => c.Call, feed.Message.ToolCalls[0]));

        AssertSafe(cut.Find("[data-testid=tool-call]"));
        Assert.Equal("<script>alert(1)</script>", cut.Find("[data-testid=tool-name]").TextContent);
        Assert.Contains("<img src=x onerror=alert(1)>", cut.Find("[data-testid=tool-arguments]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Reasoning_IsText()
    {
        var cut = Render<ReasoningPanel>(p => p.Add(c => c.Text, "Maybe <script>alert(1)</script> or <img src=x onerror=alert(1)> **not bold**"));

        AssertSafe(cut.Find("[data-testid=reasoning]"));
        Assert.Empty(cut.FindAll("strong"));
        Assert.Contains("<script>alert(1)</script>", cut.Find("[data-testid=reasoning-text]").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ErrorMessage_IsText()
    {
        var feed = MessageFeed.Started().Token("Partial").Error("provider_error", "<img src=x onerror=alert(1)>");
        var cut = Render<AssistantMessage>(p => p.Add(c => c.Message, feed.Message));

        AssertSafe(cut.Find("[data-testid=assistant-message]"));
        Assert.Equal("<img src=x onerror=alert(1)>", cut.Find("[data-testid=message-error]").TextContent);

        var failed = new MessageFeed().Message;
        failed.Fail(new ErrorEvent("resume_failed", "<script>alert(1)</script>", Retryable: false));
        var indicator = Render<ConnectionIndicator>(p => p.Add(c => c.State, failed.Connection).Add(c => c.Error, failed.Error));
        AssertSafe(indicator.Find("[data-testid=connection]"));
        Assert.Contains("<script>alert(1)</script>", indicator.Find("[data-testid=connection-failed]").TextContent, StringComparison.Ordinal);
    }

    private static void AssertSafe(IElement root)
    {
        Assert.Empty(root.QuerySelectorAll("script, iframe, object, embed, img[onerror]"));
        foreach (var element in root.QuerySelectorAll("*").Prepend(root))
        {
            foreach (var attribute in element.Attributes)
            {
                Assert.False(attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase), $"{element.TagName} has {attribute.Name}");
                if (attribute.Name is "href" or "src" or "action" or "formaction" or "xlink:href")
                {
                    var value = new string(attribute.Value.Where(c => !char.IsWhiteSpace(c) && !char.IsControl(c)).ToArray());
                    Assert.False(value.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase), $"{element.TagName} {attribute.Name}={attribute.Value}");
                    Assert.False(value.StartsWith("vbscript:", StringComparison.OrdinalIgnoreCase), $"{element.TagName} {attribute.Name}={attribute.Value}");
                    Assert.False(value.StartsWith("data:text", StringComparison.OrdinalIgnoreCase), $"{element.TagName} {attribute.Name}={attribute.Value}");
                }
            }
        }
    }
}
