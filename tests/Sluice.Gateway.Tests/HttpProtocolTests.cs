using System.Net;
using System.Text;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Sluice.Protocol;

namespace Sluice.Gateway.Tests;

/// <summary>
/// The gateway's Kestrel for long-lived streams: settings, HTTP/1.1 and HTTP/2 (h2c on an endpoint of its own), and a
/// graceful shutdown that ends every open stream with the shutdown frame, over either protocol.
/// </summary>
public sealed class HttpProtocolTests
{
    private const string Body = """{"messages":[{"role":"user","content":"/answer python-retry"}]}""";

    // Slow enough that a stream is certainly still going when the test acts on it.
    private static readonly Dictionary<string, string?> SlowModel = new()
    {
        ["Sluice:Simulated:TokensPerSecond"] = "20",
        ["Sluice:Simulated:FirstTokenDelayMs"] = "0",
        ["Logging:LogLevel:Default"] = "Warning",
    };

    // Two cleartext endpoints: HTTP/1.1 (with HTTP/2 over TLS, were there a certificate) and h2c with prior knowledge.
    private static readonly Dictionary<string, string?> TwoEndpoints = new(SlowModel)
    {
        ["Kestrel:Endpoints:Http:Url"] = "http://127.0.0.1:0",
        ["Kestrel:Endpoints:H2c:Url"] = "http://127.0.0.1:0",
        ["Kestrel:Endpoints:H2c:Protocols"] = "Http2",
    };

    private static readonly Dictionary<string, string?> TwoEndpointsFastModel = new(TwoEndpoints) { ["Sluice:Simulated:TokensPerSecond"] = "0" };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Kestrel_LimitsFitLongLivedStreams()
    {
        await using var gateway = GatewayHost.Start(SlowModel);

        var limits = gateway.Services.GetRequiredService<IOptions<KestrelServerOptions>>().Value.Limits;

        Assert.Null(limits.MinResponseDataRate); // a slow reader is not cut for its rate
        Assert.Equal(TimeSpan.FromSeconds(75), limits.KeepAliveTimeout);
        Assert.Equal(TimeSpan.FromSeconds(15), limits.RequestHeadersTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), limits.Http2.KeepAlivePingDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), limits.Http2.KeepAlivePingTimeout);
    }

    [Fact]
    public async Task Stream_OverHttp11AndOverH2cEndpoint_BothStreamTheWholeAnswer()
    {
        await using var gateway = GatewayHost.Start(TwoEndpointsFastModel);
        var (http11, h2c) = await EndpointsAsync(gateway);

        foreach (var (address, version) in new[] { (http11, HttpVersion.Version11), (h2c, HttpVersion.Version20) })
        {
            using var client = Client(address, version);
            using var response = await client.SendAsync(Post(version), HttpCompletionOption.ResponseHeadersRead, Ct);
            var state = new StreamAccumulator();
            await using var body = await response.Content.ReadAsStreamAsync(Ct);
            await foreach (var evt in StreamEventReader.ReadAsync(body, Ct))
            {
                Assert.True(state.Apply(evt));
            }

            Assert.Equal(version, response.Version);
            Assert.True(state.IsComplete);
            Assert.Equal(FinishReason.Stop, state.FinishReason);
            Assert.Contains("retry", state.Text, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Shutdown_OpenStream_EndsWithTheShutdownFrameThenACleanEnd(bool overHttp2)
    {
        var gateway = GatewayHost.Start(TwoEndpoints);
        try
        {
            var (http11, h2c) = await EndpointsAsync(gateway);
            var version = overHttp2 ? HttpVersion.Version20 : HttpVersion.Version11;
            using var client = Client(overHttp2 ? h2c : http11, version);
            using var response = await client.SendAsync(Post(version), HttpCompletionOption.ResponseHeadersRead, Ct);
            await using var body = await response.Content.ReadAsStreamAsync(Ct);
            var received = new StringBuilder();
            var buffer = new byte[4096];
            while (!received.ToString().Contains("event: token", StringComparison.Ordinal))
            {
                var read = await body.ReadAsync(buffer, Ct);
                Assert.NotEqual(0, read);
                received.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }

            // Disposing the factory stops the host as a deploy does: ApplicationStopping, then Kestrel drains.
            var stopping = gateway.DisposeAsync().AsTask();
            using (var reader = new StreamReader(body, Encoding.UTF8, leaveOpen: true))
            {
                received.Append(await reader.ReadToEndAsync(Ct)); // a cut (no final chunk, RST_STREAM) would throw
            }

            await stopping.WaitAsync(Ct);
            var text = received.ToString();
            Assert.EndsWith("\n\n: shutting down: reconnect with Last-Event-ID\nretry: 2000\n\n", text, StringComparison.Ordinal);
            Assert.DoesNotContain("event: done", text, StringComparison.Ordinal);
            Assert.Equal(version, response.Version);
        }
        finally
        {
            await gateway.DisposeAsync();
        }
    }

    /// <summary>Tells the two endpoints apart: only the h2c one answers HTTP/2 with prior knowledge.</summary>
    private static async Task<(Uri Http11, Uri H2c)> EndpointsAsync(GatewayHost gateway)
    {
        var addresses = gateway.Addresses;
        Assert.Equal(2, addresses.Count);
        Uri? h2c = null;
        foreach (var address in addresses)
        {
            using var client = Client(address, HttpVersion.Version20);
            try
            {
                using var response = await client.GetAsync("/healthz", Ct);
                if (response.Version == HttpVersion.Version20 && response.IsSuccessStatusCode)
                {
                    h2c = address;
                }
            }
            catch (HttpRequestException)
            {
                // The HTTP/1.1 endpoint refuses the HTTP/2 preface.
            }
        }

        Assert.NotNull(h2c);
        return (addresses.Single(a => a != h2c), h2c);
    }

    private static HttpClient Client(Uri address, Version version) => new()
    {
        BaseAddress = address,
        DefaultRequestVersion = version,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>A start request in <paramref name="version"/> exactly (a request message does not take the client's default version).</summary>
    private static HttpRequestMessage Post(Version version) => new(HttpMethod.Post, "/v1/streams")
    {
        Content = new StringContent(Body, Encoding.UTF8, "application/json"),
        Version = version,
        VersionPolicy = HttpVersionPolicy.RequestVersionExact,
    };
}
