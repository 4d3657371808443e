using Microsoft.Playwright;

[assembly: AssemblyFixture(typeof(Sluice.Browser.Tests.BrowserFixture))]

namespace Sluice.Browser.Tests;

/// <summary>
/// One headless Chromium for the whole test assembly: Debian's, through Playwright's <c>ExecutablePath</c> (the machine
/// has no internet, so Playwright's own browser download is not an option), started with the flags that keep it off
/// the network. Each test gets a fresh context (its own profile state: cookies, storage, cache).
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];
    private IPlaywright? _playwright;

    /// <summary>The browser, or <see langword="null"/> when no Chromium is installed (see <see cref="RequireBrowser"/>).</summary>
    public IBrowser? Browser { get; private set; }

    /// <summary>Why there is no browser, when there is none.</summary>
    public string? Unavailable { get; private set; }

    public static string? ChromiumPath =>
        Environment.GetEnvironmentVariable("SLUICE_CHROMIUM") is { Length: > 0 } configured ? configured : Candidates.FirstOrDefault(File.Exists);

    public async ValueTask InitializeAsync()
    {
        if (ChromiumPath is not { } path)
        {
            Unavailable = "No Chromium found (apt-get install chromium, or set SLUICE_CHROMIUM).";
            return;
        }

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = path,
            Headless = true,

            // Playwright gives every launch a new temporary profile (user-data dir); these keep Chromium from calling
            // home, which on a closed network only produces refused connections and slow starts.
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
    }

    /// <summary>The browser; skips the test where none is installed, fails it on CI (which installs one).</summary>
    public IBrowser RequireBrowser()
    {
        if (Browser is { } browser)
        {
            return browser;
        }

        if (Environment.GetEnvironmentVariable("CI") == "true")
        {
            Assert.Fail(Unavailable);
        }

        Assert.Skip(Unavailable!);
        return null!;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}
