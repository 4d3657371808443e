using Microsoft.Playwright;

namespace Sluice.Browser.Tests;

/// <summary>The chat as a person uses it, through stable <c>data-testid</c> hooks.</summary>
internal sealed class ChatPage(IPage page)
{
    public IPage Page => page;

    public ILocator LastAnswer => page.GetByTestId("assistant-message").Last;

    public async Task OpenAsync(Uri address)
    {
        await page.GotoAsync(address.ToString());
        await Assertions.Expect(page.GetByTestId("prompt")).ToBeEnabledAsync();
    }

    public async Task SendAsync(string prompt)
    {
        await page.GetByTestId("prompt").FillAsync(prompt);
        await page.GetByTestId("send").ClickAsync();
    }

    public Task WaitForCompleteAsync(float timeoutMs = 30_000) =>
        Assertions.Expect(LastAnswer).ToHaveAttributeAsync("data-complete", "true", new() { Timeout = timeoutMs });

    /// <summary>The answer's rendered text, without the code blocks' chrome (language label, copy button).</summary>
    public Task<string> AnswerTextAsync() => LastAnswer.GetByTestId("markdown").EvaluateAsync<string>("""
        element => {
            const copy = element.cloneNode(true);
            copy.querySelectorAll('.sluice-code-header').forEach(header => header.remove());
            return copy.textContent;
        }
        """);
}
