using System.Net;

namespace Sluice.Gateway.Tests;

/// <summary>The gateway maps the dialects where its settings say, and lets the configured origins call them.</summary>
public sealed class DialectGatewayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Paths_AreConfigurable_AndAnEmptyPathTurnsADialectOff()
    {
        await using var gateway = GatewayHost.Start(new Dictionary<string, string?>
        {
            ["Sluice:Ui:Enabled"] = "false",
            ["Sluice:Dialects:AiSdk:Path"] = "/chat-api",
            ["Sluice:Dialects:AgUi:Path"] = string.Empty,
        });

        using var moved = await gateway.Client.GetAsync("/chat-api/some-chat/stream", Ct);
        using var defaultPath = await gateway.Client.GetAsync("/api/chat/some-chat/stream", Ct);
        using var agUi = await gateway.Client.GetAsync("/ag-ui/some-thread/stream", Ct);
        Assert.Equal(HttpStatusCode.NoContent, moved.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, defaultPath.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, agUi.StatusCode);
    }

    [Fact]
    public async Task AllowedOrigins_GetCorsOnTheDialectEndpoints_OthersDoNot()
    {
        await using var gateway = GatewayHost.Start(new Dictionary<string, string?>
        {
            ["Sluice:Ui:Enabled"] = "false",
            ["Sluice:Dialects:AllowedOrigins:0"] = "http://localhost:3000",
        });

        using var allowed = await gateway.Client.SendAsync(Preflight("http://localhost:3000"), Ct);
        using var other = await gateway.Client.SendAsync(Preflight("http://evil.example"), Ct);

        Assert.Equal("http://localhost:3000", allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(other.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static HttpRequestMessage Preflight(string origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, "/api/chat");
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return request;
    }
}
