using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
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

    /// <summary>Starts a gateway on a free loopback port.</summary>
    /// <param name="source">The provider.</param>
    /// <param name="options">The settings (<see cref="SluiceOptions.Default"/> when null), but for coalescing.</param>
    /// <param name="timeProvider">The clock, when the test drives time.</param>
    /// <param name="logOptions">The replay log's bounds.</param>
    /// <param name="configure">Anything else, before the app is built.</param>
    /// <param name="coalesce">
    /// Whether lagging readers get coalesced events, as in production. Off unless asked: most tests here assert exact
    /// frames (one per event), and a test's fast source makes every reader "lag". Coalescing has tests of its own.
    /// </param>
    public static async Task<TestGateway> StartAsync(
        Protocol.IStreamSource source,
        SluiceOptions? options = null,
        TimeProvider? timeProvider = null,
        ReplayLogOptions? logOptions = null,
        Action<WebApplicationBuilder>? configure = null,
        bool coalesce = false)
    {
        options ??= SluiceOptions.Default;
        options = options with { Backpressure = options.Backpressure with { CoalesceLaggingReaders = coalesce } };
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

    /// <summary>
    /// Server sockets with a fixed 16 KiB send buffer (accepted sockets inherit the listener's on Linux): without it the
    /// kernel may grow a loopback send buffer to 4 MiB, all of which a stalled reader's stream would have to fill first.
    /// </summary>
    public static void SmallSendBuffers(WebApplicationBuilder builder) =>
        builder.WebHost.UseSockets(sockets => sockets.CreateBoundListenSocket = endpoint =>
        {
            var listener = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
            listener.SendBufferSize = 16 * 1024;
            return listener;
        });

    /// <summary>Stops the host as a deploy does: ApplicationStopping fires, then Kestrel drains its connections.</summary>
    public Task StopAsync() => _app.StopAsync(TestContext.Current.CancellationToken);

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
