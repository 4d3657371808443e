using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sluice.AspNetCore.Tests;

/// <summary>
/// A model provider on its own loopback Kestrel: streams one line per released token, and records when the caller's
/// HTTP request goes away, so a test can see an upstream call really being aborted.
/// </summary>
internal sealed class FakeProviderServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly System.Threading.Channels.Channel<string> _tokens = System.Threading.Channels.Channel.CreateUnbounded<string>();
    private readonly TaskCompletionSource _requestAborted = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _requestStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeProviderServer(WebApplication app) => _app = app;

    public Uri Address { get; private set; } = null!;

    /// <summary>Completes when the provider sees its caller's connection abort.</summary>
    public Task RequestAborted => _requestAborted.Task;

    public Task RequestStarted => _requestStarted.Task;

    public void Release(string token) => _tokens.Writer.TryWrite(token);

    public static async Task<FakeProviderServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeProviderServer(app);
        app.MapGet("/stream", server.StreamAsync);
        await app.StartAsync(TestContext.Current.CancellationToken);
        server.Address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private async Task StreamAsync(HttpContext context)
    {
        using var registration = context.RequestAborted.Register(() => _requestAborted.TrySetResult());
        context.Response.ContentType = "text/plain";
        await context.Response.StartAsync(context.RequestAborted);
        _requestStarted.TrySetResult();
        try
        {
            await foreach (var token in _tokens.Reader.ReadAllAsync(context.RequestAborted))
            {
                await context.Response.WriteAsync(token + "\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The caller went away: that is what the test is waiting to see.
        }
    }
}
