using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sluice.ReplayLog;

namespace Sluice.AspNetCore.Tests;

/// <summary>The Sluice endpoints on real Kestrel, on a free loopback port, with a provider the test controls.</summary>
internal sealed class TestGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TestGateway(WebApplication app, Uri address)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    internal RunRegistry Runs => _app.Services.GetRequiredService<RunRegistry>();

    public static async Task<TestGateway> StartAsync(
        Protocol.IStreamSource source,
        SluiceOptions? options = null,
        TimeProvider? timeProvider = null,
        ReplayLogOptions? logOptions = null,
        Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        builder.Services.AddAuthentication(TestAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TestAuthenticationHandler>(TestAuthenticationHandler.SchemeName, null);
        builder.Services.AddSingleton(source);
        builder.Services.AddSluiceInMemoryReplayLog(logOptions);
        builder.Services.AddSluice(options);
        configure?.Invoke(builder);
        var app = builder.Build();
        app.UseAuthentication();
        app.MapSluice();
        app.MapSluiceAiSdk();
        app.MapSluiceAgUi();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestGateway(app, new Uri(address));
    }

    /// <summary>Stops the host as a deploy does: ApplicationStopping fires, then Kestrel drains its connections.</summary>
    public Task StopAsync() => _app.StopAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
