using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
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

    /// <summary>Runs whose upstream call was cancelled, as the gateway's <c>sluice.runs.cancelled</c> counter counts them.</summary>
    public long CancelledRuns => Interlocked.Read(ref _cancelledRuns);

    private long _cancelledRuns;
    private MeterListener? _listener;

    public static ChatHost Start(IReadOnlyDictionary<string, string?>? settings = null)
    {
        // appsettings.json pins Urls to port 5000; tests need a free port.
        var effective = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Urls"] = "http://127.0.0.1:0",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder =>
        {
            // Host settings reach Program.cs while it builds (provider choice, options); the same values as app
            // configuration, added after appsettings.json, win where the server reads them at start (Urls).
            foreach (var (key, value) in effective)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(effective));
        });
        factory.UseKestrel(0);
        factory.StartServer();
        using var client = factory.CreateClient();
        var host = new ChatHost(factory, client.BaseAddress!);
        host.ListenToMetrics();
        return host;
    }

    public ValueTask DisposeAsync()
    {
        _listener?.Dispose();
        return _factory.DisposeAsync();
    }

    // Only this host's meter: the meter factory of its service provider owns it, so parallel tests do not mix counts.
    private void ListenToMetrics()
    {
        var meterFactory = _factory.Services.GetRequiredService<IMeterFactory>();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "sluice.runs.cancelled" && instrument.Meter.Scope == meterFactory)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _cancelledRuns, value));
        _listener.Start();
    }
}
