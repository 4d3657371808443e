using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Sluice.AspNetCore;
using Sluice.Protocol;
using Sluice.Providers.Simulated;
using Sluice.ReplayLog;

namespace Sluice.Client.Tests;

/// <summary>
/// A real gateway (the Sluice endpoints on Kestrel, on loopback) for the client to talk to: the simulated provider
/// unless a test brings its own source. It can be stopped and a fresh one started on the same port, with an empty log.
/// </summary>
internal sealed class Gateway : IAsyncDisposable
{
    private WebApplication? _app;

    private Gateway(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The gateway's root, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Address { get; }

    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("The gateway is stopped.");

    public static async Task<Gateway> StartAsync(
        SluiceOptions? options = null,
        SimulatedOptions? simulated = null,
        IStreamSource? source = null,
        TimeProvider? timeProvider = null,
        ReplayLogOptions? logOptions = null,
        int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }

        if (source is not null)
        {
            builder.Services.AddSingleton(source);
        }
        else
        {
            builder.Services.AddSluiceSimulated(simulated ?? new SimulatedOptions { TokensPerSecond = 0, FirstTokenDelayMs = 0 });
        }

        builder.Services.AddSluiceInMemoryReplayLog(logOptions);
        builder.Services.AddSluice(options);
        var app = builder.Build();
        app.MapSluice();
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Gateway(app, new Uri(address + "/"));
    }

    /// <summary>A client over a fresh <see cref="HttpClient"/> (owned by the caller) pointed at this gateway.</summary>
    public HttpClient CreateHttpClient(HttpMessageHandler? handler = null) =>
        new(handler ?? new SocketsHttpHandler(), disposeHandler: true) { BaseAddress = Address, Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>Stops the gateway, as a restart would: its runs and their logs are gone.</summary>
    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
