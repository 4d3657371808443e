using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Sluice.Protocol;

namespace Sluice.Gateway.Tests;

/// <summary>The gateway behind nginx configured as <c>docs/deploy/nginx.conf</c> says: streaming and resume pass through.</summary>
public sealed class NginxProxyTests
{
    private const string LongAnswer = """{"messages":[{"role":"user","content":"/answer python-retry"}]}""";

    // Slow enough that the run is certainly still going when its first events have crossed the proxy.
    private static readonly Dictionary<string, string?> SlowModel = new()
    {
        ["Sluice:Simulated:TokensPerSecond"] = "40",
        ["Sluice:Simulated:FirstTokenDelayMs"] = "0",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    [Fact]
    public async Task Stream_ThroughNginx_EventsArriveWhileTheRunIsStillGoing()
    {
        var ct = TestContext.Current.CancellationToken;
        NginxProxy.Require();
        await using var gateway = GatewayHost.Start(SlowModel);
        await using var nginx = await NginxProxy.StartAsync(gateway.Client.BaseAddress!, ct);
        using var viaNginx = new HttpClient { BaseAddress = nginx.Address };

        using var started = await viaNginx.SendAsync(Post(), HttpCompletionOption.ResponseHeadersRead, ct);
        await using var body = await started.Content.ReadAsStreamAsync(ct);
        var state = new StreamAccumulator();
        await using var events = StreamEventReader.ReadAsync(body, ct).GetAsyncEnumerator(ct);
        while (await events.MoveNextAsync() && events.Current.Event is not TokenEvent)
        {
            state.Apply(events.Current);
        }

        // The first token crossed nginx; ask the gateway directly whether the run has finished yet.
        var statusAtFirstToken = await StatusAsync(gateway.Client, started, ct);
        state.Apply(events.Current);
        while (await events.MoveNextAsync())
        {
            state.Apply(events.Current);
        }

        Assert.Equal("running", statusAtFirstToken);
        Assert.True(state.IsComplete);
        Assert.Equal(await ResultTextAsync(gateway.Client, started, ct), state.Text);
    }

    [Fact]
    public async Task Resume_ThroughNginx_WithLastEventId_GetsExactlyTheRest()
    {
        var ct = TestContext.Current.CancellationToken;
        NginxProxy.Require();
        await using var gateway = GatewayHost.Start(SlowModel);
        await using var nginx = await NginxProxy.StartAsync(gateway.Client.BaseAddress!, ct);
        using var viaNginx = new HttpClient { BaseAddress = nginx.Address };
        var state = new StreamAccumulator();

        using var started = await viaNginx.SendAsync(Post(), HttpCompletionOption.ResponseHeadersRead, ct);
        await using (var body = await started.Content.ReadAsStreamAsync(ct))
        {
            await foreach (var evt in StreamEventReader.ReadAsync(body, ct))
            {
                state.Apply(evt);
                if (state.TextLength > 40)
                {
                    break; // Drop the connection mid-answer.
                }
            }
        }

        using var resume = new HttpRequestMessage(HttpMethod.Get, started.Headers.Location);
        resume.Headers.Authorization = new AuthenticationHeaderValue("Bearer", started.Headers.GetValues(SluiceHeaders.ResumeToken).Single());
        resume.Headers.Add(SluiceHeaders.LastEventId, state.LastSeq.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var resumed = await viaNginx.SendAsync(resume, HttpCompletionOption.ResponseHeadersRead, ct);
        await using (var body = await resumed.Content.ReadAsStreamAsync(ct))
        {
            await foreach (var evt in StreamEventReader.ReadAsync(body, ct))
            {
                Assert.True(state.Apply(evt), $"seq {evt.Seq} arrived twice");
            }
        }

        Assert.True(state.IsComplete);
        Assert.Equal(await ResultTextAsync(gateway.Client, started, ct), state.Text);
    }

    private static HttpRequestMessage Post() =>
        new(HttpMethod.Post, "/v1/streams") { Content = new StringContent(LongAnswer, Encoding.UTF8, "application/json") };

    private static async Task<string?> StatusAsync(HttpClient direct, HttpResponseMessage started, CancellationToken cancellationToken)
    {
        using var result = await GetResultAsync(direct, started, cancellationToken);
        return result.RootElement.GetProperty("status").GetString();
    }

    private static async Task<string?> ResultTextAsync(HttpClient direct, HttpResponseMessage started, CancellationToken cancellationToken)
    {
        using var result = await GetResultAsync(direct, started, cancellationToken);
        return result.RootElement.GetProperty("text").GetString();
    }

    private static async Task<JsonDocument> GetResultAsync(HttpClient direct, HttpResponseMessage started, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, started.Headers.Location + "/result");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", started.Headers.GetValues(SluiceHeaders.ResumeToken).Single());
        using var response = await direct.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonDocument>(cancellationToken))!;
    }
}
