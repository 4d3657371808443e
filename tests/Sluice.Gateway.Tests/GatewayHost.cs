using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Mvc.Testing;
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

    public static GatewayHost Start(IReadOnlyDictionary<string, string?> settings)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
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
