using Microsoft.Extensions.Configuration;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Sluice.Protocol;

namespace Sluice.Gateway.Tests;

/// <summary>
/// The gateway application itself (its Program, its configuration binding, its provider switch) on a loopback Kestrel
/// port, configured the way an operator would: with <c>Sluice:…</c> settings.
/// </summary>
internal sealed class GatewayHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    private GatewayHost(WebApplicationFactory<Program> factory, HttpClient client)
    {
        _factory = factory;
        Client = client;
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>Every address Kestrel listens on (one per endpoint).</summary>
    public IReadOnlyList<Uri> Addresses =>
        [.. Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Select(address => new Uri(address))];

    /// <summary>Stops the host the way a deploy does (SIGTERM): ApplicationStopping fires, then Kestrel drains.</summary>
    public void StopApplication() => Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

    /// <param name="settings">The <c>Sluice:…</c> (and other) settings, as an operator would write them.</param>
    /// <param name="configureServices">Replaces services after the app registered its own (test doubles around the provider).</param>
    public static GatewayHost Start(IReadOnlyDictionary<string, string?> settings, Action<IServiceCollection>? configureServices = null)
    {
        // appsettings.json pins Urls to port 5000; tests need a free port.
        var effective = new Dictionary<string, string?>(settings) { ["Urls"] = "http://127.0.0.1:0" };
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            // Host settings reach Program.cs while it builds (provider choice, options); the same values as app
            // configuration, added after appsettings.json, win where the server reads them at start (Urls).
            foreach (var (key, value) in effective)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(effective));
            if (configureServices is not null)
            {
                builder.ConfigureTestServices(configureServices);
            }
        });
        factory.UseKestrel(0);
        factory.StartServer();
        return new GatewayHost(factory, factory.CreateClient());
    }

    public Task<HttpResponseMessage> PostStreamAsync(string body, CancellationToken cancellationToken) =>
        Client.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "/v1/streams") { Content = new StringContent(body, Encoding.UTF8, "application/json") },
            HttpCompletionOption.ResponseHeadersRead,
            cancellationToken);

    public Task<HttpResponseMessage> DeleteStreamAsync(HttpResponseMessage started, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, started.Headers.Location);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", started.Headers.GetValues(SluiceHeaders.ResumeToken).Single());
        return Client.SendAsync(request, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
    }
}
