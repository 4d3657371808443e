using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Sluice.Markdown;

namespace Sluice.Browser.Tests;

/// <summary>The chat at <c>/</c>, in a real Chromium, against the gateway on the simulated provider.</summary>
public sealed partial class ChatPageTests(BrowserFixture browser)
{
    private const string Answer = """
        # Streaming in C#

        Here is an **async stream** with a `yield`:

        ```csharp
        static async IAsyncEnumerable<int> CountAsync()
        {
            for (var i = 0; i < 3; i++)
            {
                await Task.Delay(10);
                yield return i;
            }
        }
        ```

        - it is *lazy*
        - it is cancellable

        | name | value |
        | --- | --- |
        | tokens | 42 |

        Done.
        """;

    // Slow enough that the answer is visibly mid-stream for a while, fast enough for CI.
    private static readonly Dictionary<string, string?> Paced = new()
    {
        ["Sluice:Simulated:TokensPerSecond"] = "40",
        ["Sluice:Simulated:FirstTokenDelayMs"] = "0",
    };

    [Fact]
    public async Task Root_LoadsTheChat()
    {
        await using var host = ChatHost.Start();
        await using var context = await browser.RequireBrowser().NewContextAsync();
        var chat = new ChatPage(await context.NewPageAsync());

        await chat.OpenAsync(host.Address);

        await Assertions.Expect(chat.Page.GetByTestId("chat")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Send_AnswerRendersProgressively_AndEndsExactlyAsWritten()
    {
        await using var host = ChatHost.Start(Paced);
        await using var context = await browser.RequireBrowser().NewContextAsync(new() { ViewportSize = new() { Width = 1100, Height = 1300 } });
        var chat = new ChatPage(await context.NewPageAsync());
        await chat.OpenAsync(host.Address);

        await chat.SendAsync("/echo " + Answer);

        // A highlighted code block while the answer is still streaming: checked in one evaluation, so "before done"
        // is a fact about the same instant.
        await chat.Page.WaitForFunctionAsync("""
            () => {
                const message = document.querySelector('[data-testid=assistant-message]');
                const code = message && message.querySelector('[data-testid=code-block][data-language=csharp] pre');
                return code !== null && code.querySelector('span[class], span[style]') !== null
                    && message.dataset.complete === 'false';
            }
            """, null, new() { Timeout = 30_000 });
        await chat.WaitForCompleteAsync();

        Assert.Equal(Normalize(await ExpectedTextAsync(context, Answer)), Normalize(await chat.AnswerTextAsync()));
        await Assertions.Expect(chat.LastAnswer.GetByTestId("finish-reason")).ToHaveAttributeAsync("data-finish-reason", "stop");
        await Assertions.Expect(chat.LastAnswer.GetByTestId("usage")).ToBeVisibleAsync();
        await SaveScreenshotAsync(chat.Page, "chat-finished.png");
    }

    [Fact]
    public async Task ConnectionCutMidAnswer_ShowsReconnecting_ThenCompletesExactly()
    {
        // Every response is cut after 12 events; the client resumes with Last-Event-ID after the server's retry hint.
        await using var host = ChatHost.Start(new Dictionary<string, string?>(Paced)
        {
            ["Sluice:Faults:CutAfterEvents"] = "12",
            ["Sluice:ClientRetry"] = "00:00:00.300",

            // On a loaded machine the client may be between connections for a while; the run must not be ended for
            // want of a reader meanwhile (that is the grace period's test, not this one's).
            ["Sluice:Runs:DetachedGrace"] = "00:05:00",
        });
        await using var context = await browser.RequireBrowser().NewContextAsync();
        var chat = new ChatPage(await context.NewPageAsync());
        await chat.OpenAsync(host.Address);
        await chat.Page.EvaluateAsync("""
            () => new MutationObserver(() => {
                if (document.querySelector('[data-testid=reconnecting]')) window.__sawReconnecting = true;
            }).observe(document.body, { childList: true, subtree: true })
            """);

        await chat.SendAsync("/echo " + Answer);
        await chat.WaitForCompleteAsync(60_000);

        var connection = await chat.LastAnswer.GetByTestId("connection").EvaluateAsync<string>("e => e.dataset.state + ': ' + e.textContent");
        Assert.True(await chat.LastAnswer.GetByTestId("finish-reason").CountAsync() == 1, "the answer did not finish: " + connection);
        await Assertions.Expect(chat.LastAnswer.GetByTestId("finish-reason")).ToHaveAttributeAsync("data-finish-reason", "stop");
        Assert.True(await chat.Page.EvaluateAsync<bool>("() => window.__sawReconnecting === true"), "the reconnecting indicator never showed");
        Assert.Equal(Normalize(await ExpectedTextAsync(context, Answer)), Normalize(await chat.AnswerTextAsync()));
        await Assertions.Expect(chat.LastAnswer.GetByTestId("reconnecting")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task HostileAnswer_NothingRuns_AndTheTextIsShown()
    {
        const string Hostile = """
            Look: <script>window.__pwned = 'script'</script>

            <img src=x onerror="window.__pwned = 'img'">

            [click me](javascript:window.__pwned='link') and <a href="javascript:window.__pwned='a'">this</a>
            """;
        await using var host = ChatHost.Start(Paced);
        await using var context = await browser.RequireBrowser().NewContextAsync();
        var chat = new ChatPage(await context.NewPageAsync());
        await chat.OpenAsync(host.Address);

        await chat.SendAsync("/echo " + Hostile);
        await chat.WaitForCompleteAsync();
        var links = chat.LastAnswer.GetByTestId("markdown").Locator("a");
        for (var i = 0; i < await links.CountAsync(); i++)
        {
            await links.Nth(i).ClickAsync();
        }

        Assert.Equal(host.Address.ToString(), chat.Page.Url); // Still the chat: a click that navigated would hide a run.

        var text = await chat.AnswerTextAsync();
        Assert.Contains("<script>window.__pwned = 'script'</script>", text, StringComparison.Ordinal);
        Assert.Contains("click me", text, StringComparison.Ordinal);
        Assert.Equal(0, await chat.LastAnswer.Locator("script, img[onerror], [href^='javascript:' i]").CountAsync());
        Assert.Null(await chat.Page.EvaluateAsync<string?>("() => window.__pwned ?? null"));
    }

    [Fact]
    public async Task Stop_MidAnswer_EndsTheRunAsCancelled()
    {
        await using var host = ChatHost.Start(Paced);
        await using var context = await browser.RequireBrowser().NewContextAsync();
        var chat = new ChatPage(await context.NewPageAsync());
        await chat.OpenAsync(host.Address);

        await chat.SendAsync("/answer python-retry");
        await Assertions.Expect(chat.LastAnswer.GetByTestId("markdown-block").First).ToBeVisibleAsync();
        await chat.LastAnswer.GetByTestId("stop-button").ClickAsync();
        await chat.WaitForCompleteAsync();

        // "cancelled" comes from the gateway's own done event: the run, and with it the upstream call, was stopped.
        await Assertions.Expect(chat.LastAnswer.GetByTestId("finish-reason")).ToHaveAttributeAsync("data-finish-reason", "cancelled");
        await Assertions.Expect(chat.Page.GetByTestId("prompt")).ToBeEnabledAsync();
        Assert.Equal(1, host.CancelledRuns);
    }

    /// <summary>The text the answer renders to when the library gets it whole, as a browser lays it out.</summary>
    private static async Task<string> ExpectedTextAsync(IBrowserContext context, string markdown)
    {
        var renderer = new ProgressiveMarkdownRenderer();
        renderer.Append(markdown);
        renderer.Complete();
        var page = await context.NewPageAsync();
        await page.SetContentAsync("<div id=expected>" + renderer.ToHtml() + "</div>");
        var text = await page.Locator("#expected").TextContentAsync() ?? string.Empty;
        await page.CloseAsync();
        return text;
    }

    private static string Normalize(string text) => Whitespace().Replace(text, " ").Trim();

    private static async Task SaveScreenshotAsync(IPage page, string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        await page.ScreenshotAsync(new() { Path = path, FullPage = true });
        TestContext.Current.AddAttachment(name, await File.ReadAllBytesAsync(path, TestContext.Current.CancellationToken), "image/png");
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
