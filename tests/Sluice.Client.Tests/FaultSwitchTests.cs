using System.Net;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Extensions.Configuration;
using Sluice.AspNetCore;
using Sluice.Protocol;

namespace Sluice.Client.Tests;

/// <summary>The gateway's fault switch: configuration, the run-time endpoint, and what a cut looks like on the wire.</summary>
public sealed class FaultSwitchTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Options_BindFromTheSluiceFaultsSection_OffByDefault()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sluice:Faults:CutAfterEvents"] = "3",
            ["Sluice:Faults:EnableEndpoint"] = "true",
        }).Build();

        var options = configuration.GetSection("Sluice").Get<SluiceOptions>()!;

        Assert.Equal(3, options.Faults.CutAfterEvents);
        Assert.True(options.Faults.EnableEndpoint);
        Assert.Null(SluiceOptions.Default.Faults.CutAfterEvents);
        Assert.False(SluiceOptions.Default.Faults.EnableEndpoint);
        Assert.Throws<ArgumentOutOfRangeException>(() => new FaultOptions { CutAfterEvents = -1 });
    }

    [Fact]
    public async Task CutAfterEvents_EndsEachResponseAbruptlyAfterNEvents()
    {
        await using var gateway = await Gateway.StartAsync(new SluiceOptions { Faults = new FaultOptions { CutAfterEvents = 3 } });
        using var http = gateway.CreateHttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/streams")
        {
            Content = new StringContent("""{"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"),
        };

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        var events = new List<SequencedEvent>();
        var cut = await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            await foreach (var evt in StreamEventReader.ReadAsync(await response.Content.ReadAsStreamAsync(Ct), Ct))
            {
                events.Add(evt);
            }
        });

        // The three events arrive whole, then the body breaks off: no clean end, no terminal event. (The second and the
        // third may each stand for several tokens, coalesced: the model is faster than this reader.)
        Assert.Equal(3, events.Count);
        Assert.Equal(0, events[0].Seq);
        Assert.Equal(events[0].Seq + 1, events[1].FirstSeq);
        Assert.Equal(events[1].Seq + 1, events[2].FirstSeq);
        Assert.DoesNotContain(events, e => e.Event.IsTerminal);
        Assert.IsType<HttpIOException>(cut);
    }

    [Fact]
    public async Task Endpoint_NotMappedUnlessEnabled()
    {
        await using var gateway = await Gateway.StartAsync();
        using var http = gateway.CreateHttpClient();

        using var response = await http.PostAsJsonAsync("v1/faults", new { cutAfterEvents = 1 }, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Endpoint_ChangesTheCutAtRunTime()
    {
        // retry: 0, so that the client reconnects at once (the gateway's retry: replaces the client's own delay).
        await using var gateway = await Gateway.StartAsync(new SluiceOptions { ClientRetry = TimeSpan.Zero, Faults = new FaultOptions { EnableEndpoint = true } });
        using var http = gateway.CreateHttpClient();

        Assert.Equal("""{"cutAfterEvents":2}""", await PostAsync(http, """{"cutAfterEvents":2}""", HttpStatusCode.OK));
        var cutReading = await Messages.ReadAsync(new SluiceClient(http).Open(Messages.Ask("Hi")), Ct);
        Assert.True(cutReading.Reconnects > 0);

        Assert.Equal("""{"cutAfterEvents":null}""", await PostAsync(http, """{"cutAfterEvents":null}""", HttpStatusCode.OK));
        var whole = await Messages.ReadAsync(new SluiceClient(http).Open(Messages.Ask("Hi")), Ct);
        Assert.Equal(0, whole.Reconnects);
        Assert.Equal(whole.Message.Text, cutReading.Message.Text);
    }

    [Theory]
    [InlineData("""{"cutAfterEvents":-1}""")]
    [InlineData("""{"cutAfterEvents":"3"}""")]
    [InlineData("""{"cutAfterEvents":1.5}""")]
    [InlineData("""{}""")]
    [InlineData("""[1]""")]
    [InlineData("""{"cutAfterEvents":""")]
    public async Task Endpoint_InvalidBody_Is400(string body)
    {
        await using var gateway = await Gateway.StartAsync(new SluiceOptions { Faults = new FaultOptions { EnableEndpoint = true, CutAfterEvents = 4 } });
        using var http = gateway.CreateHttpClient();

        var problem = await PostAsync(http, body, HttpStatusCode.BadRequest);

        Assert.Contains("\"status\":400", problem, StringComparison.Ordinal);
        Assert.Equal("""{"cutAfterEvents":4}""", await PostAsync(http, """{"cutAfterEvents":4}""", HttpStatusCode.OK)); // unchanged
    }

    private static async Task<string> PostAsync(HttpClient http, string body, HttpStatusCode expected)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync("v1/faults", content, Ct);
        Assert.Equal(expected, response.StatusCode);
        return await response.Content.ReadAsStringAsync(Ct);
    }
}
