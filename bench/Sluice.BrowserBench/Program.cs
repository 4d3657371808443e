using System.Globalization;
using Microsoft.Playwright;
using Sluice.BrowserBench;

// Usage: Sluice.BrowserBench --url http://127.0.0.1:5000/ [--bytes 51200] [--chromium /usr/bin/chromium]
// The gateway must run its simulated model at the pace to measure (e.g. Sluice__Simulated__TokensPerSecond=200).
var options = args.Chunk(2).Where(pair => pair.Length == 2).ToDictionary(pair => pair[0], pair => pair[1], StringComparer.Ordinal);
var url = options.GetValueOrDefault("--url") ?? "http://127.0.0.1:5000/";
var bytes = int.Parse(options.GetValueOrDefault("--bytes") ?? "51200", CultureInfo.InvariantCulture);
var chromium = options.GetValueOrDefault("--chromium") ?? "/usr/bin/chromium";
if (!new Uri(url).IsLoopback)
{
    Console.Error.WriteLine("Only loopback URLs are allowed.");
    return 2;
}

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = chromium,
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });

// Times every animation-frame callback the page runs: the components render in exactly those (one per frame), so each
// callback's duration is the cost of one UI update.
await page.AddInitScriptAsync("""
    window.__frames = [];
    const original = window.requestAnimationFrame.bind(window);
    window.requestAnimationFrame = callback => original(time => {
        const start = performance.now();
        try { callback(time); } finally { window.__frames.push(performance.now() - start); }
    });
    """);
var cdp = await page.Context.NewCDPSessionAsync(page);
await cdp.SendAsync("Performance.enable");

// What the first visit downloads, as sent on the wire (compressed where the server compressed it).
var finished = new System.Collections.Concurrent.ConcurrentQueue<IRequest>();
page.RequestFinished += (_, request) => finished.Enqueue(request);

var loadStart = DateTime.UtcNow;
await page.GotoAsync(url);
await page.GetByTestId("prompt").WaitForAsync();
var firstLoad = DateTime.UtcNow - loadStart;
await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
long firstLoadBytes = 0;
foreach (var request in finished)
{
    var sizes = await request.SizesAsync();
    firstLoadBytes += sizes.ResponseBodySize + sizes.ResponseHeadersSize;
}

var firstLoadRequests = finished.Count;
loadStart = DateTime.UtcNow;
await page.ReloadAsync();
await page.GetByTestId("prompt").WaitForAsync();
var warmLoad = DateTime.UtcNow - loadStart;

var answer = AnswerCorpus.Build(bytes);
await page.EvaluateAsync("() => { window.__frames = []; }");
var before = await MetricsAsync(cdp);
var started = DateTime.UtcNow;
await page.GetByTestId("prompt").FillAsync("/echo " + answer);
await page.GetByTestId("send").ClickAsync();
await page.Locator("[data-testid=assistant-message][data-complete=true]").WaitForAsync(new() { Timeout = 600_000 });
var streaming = DateTime.UtcNow - started;
var after = await MetricsAsync(cdp);
var frames = (await page.EvaluateAsync<double[]>("() => window.__frames")).Order().ToArray();

double Percentile(double quantile) => frames.Length == 0 ? 0 : frames[Math.Clamp((int)Math.Ceiling(quantile * frames.Length) - 1, 0, frames.Length - 1)];
var c = CultureInfo.InvariantCulture;
Console.WriteLine(string.Create(c, $"answer {answer.Length:N0} chars streamed in {streaming.TotalSeconds:F1} s"));
Console.WriteLine(string.Create(c, $"page load: first {firstLoad.TotalMilliseconds:F0} ms, warm (cached) {warmLoad.TotalMilliseconds:F0} ms to an interactive composer; first visit downloaded {firstLoadBytes / 1024.0:F0} KiB in {firstLoadRequests} requests"));
Console.WriteLine(string.Create(c, $"UI updates (animation-frame callbacks): {frames.Length}, p50 {Percentile(0.5):F2} ms, p99 {Percentile(0.99):F2} ms, max {(frames.Length > 0 ? frames[^1] : 0):F2} ms, over 16 ms: {frames.Count(f => f > 16)}"));
Console.WriteLine(string.Create(c, $"main thread while streaming: tasks {(after["TaskDuration"] - before["TaskDuration"]) * 1000:F0} ms, script {(after["ScriptDuration"] - before["ScriptDuration"]) * 1000:F0} ms, layout {(after["LayoutDuration"] - before["LayoutDuration"]) * 1000:F0} ms, style {(after["RecalcStyleDuration"] - before["RecalcStyleDuration"]) * 1000:F0} ms"));
return 0;

static async Task<Dictionary<string, double>> MetricsAsync(ICDPSession cdp)
{
    var result = await cdp.SendAsync("Performance.getMetrics");
    var metrics = new Dictionary<string, double>(StringComparer.Ordinal);
    foreach (var metric in result!.Value.GetProperty("metrics").EnumerateArray())
    {
        metrics[metric.GetProperty("name").GetString()!] = metric.GetProperty("value").GetDouble();
    }

    return metrics;
}
