using Microsoft.AspNetCore.Mvc.Testing;

namespace Sluice.Browser.Tests;

/// <summary>The gateway app (API and chat UI) on a loopback Kestrel port, with the settings a test gives it.</summary>
internal sealed class ChatHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    private ChatHost(WebApplicationFactory<Program> factory, Uri address)
    {
        _factory = factory;
        Address = address;
    }

    /// <summary>The gateway's root, where the chat is.</summary>
    public Uri Address { get; }

    public IServiceProvider Services => _factory.Services;

    public static ChatHost Start(IReadOnlyDictionary<string, string?>? settings = null)
    {
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                builder.UseSetting(key, value);
            }
        });
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = factory.CreateClient();
        return new ChatHost(factory, client.BaseAddress!);
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();
}
