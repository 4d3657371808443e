using Microsoft.Playwright;

namespace Sluice.Browser.Tests;

/// <summary>The chat at <c>/</c>, in a real Chromium, against the gateway on the simulated provider.</summary>
public sealed class ChatPageTests(BrowserFixture browser)
{
    [Fact]
    public async Task Root_LoadsTheChat()
    {
        await using var host = ChatHost.Start();
        await using var context = await browser.RequireBrowser().NewContextAsync();
        var page = await context.NewPageAsync();

        await page.GotoAsync(host.Address.ToString());

        await Assertions.Expect(page.GetByTestId("chat")).ToBeVisibleAsync();
    }
}
