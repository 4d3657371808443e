using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Sluice.TestSupport;

/// <summary>
/// A model provider on its own loopback Kestrel port that answers every request (any path) with the next scripted
/// <see cref="FakeProviderResponse"/>, records what it was sent, and sees when its caller goes away. Point a real SDK
/// client at <see cref="BaseAddress"/>.
/// </summary>
public sealed class FakeProvider : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<FakeProviderResponse> _responses = new();
    private readonly ConcurrentQueue<FakeProviderRequest> _requests = new();
    private readonly TaskCompletionSource _callerGone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _paused = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeProvider(WebApplication app) => _app = app;

    /// <summary>The provider's base address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<FakeProviderRequest> Requests => [.. _requests];

    /// <summary>Completes when a caller closes its connection before its response is complete.</summary>
    public Task CallerGone => _callerGone.Task;

    /// <summary>Completes when a response reaches its <see cref="FakeProviderResponse.PauseAfterBytes"/>.</summary>
    public Task Paused => _paused.Task;

    /// <summary>Starts the provider on a free loopback port.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<FakeProvider> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var provider = new FakeProvider(app);
        app.Run(provider.AnswerAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        provider.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/");
        return provider;
    }

    /// <summary>Queues the answer to the next request.</summary>
    /// <param name="response">The scripted response.</param>
    public void Enqueue(FakeProviderResponse response) => _responses.Enqueue(response);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(aborted).ConfigureAwait(false);
        _requests.Enqueue(new FakeProviderRequest(
            context.Request.Method,
            context.Request.Path + context.Request.QueryString,
            context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
            body));

        if (!_responses.TryDequeue(out var response))
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync("{\"error\":\"the fake provider has no scripted response\"}", aborted).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = response.Status;
        context.Response.ContentType = response.ContentType;
        foreach (var (name, value) in response.Headers)
        {
            context.Response.Headers[name] = value;
        }

        try
        {
            await WriteBodyAsync(context, response, aborted).ConfigureAwait(false);
            if (response.AbortAtEnd)
            {
                context.Abort();
            }
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The caller went away: tests wait for CallerGone (set below).
        }
        finally
        {
            // Checked here rather than by a callback on the token: cancellation runs callbacks last-registered first, so
            // the pending write or pause unwinds this method (disposing any registration of ours) before it would run.
            if (aborted.IsCancellationRequested)
            {
                _callerGone.TrySetResult();
            }
        }
    }

    private async Task WriteBodyAsync(HttpContext context, FakeProviderResponse response, CancellationToken aborted)
    {
        var random = new Random(response.ChunkSeed);
        var bodyStream = context.Response.Body;
        await context.Response.StartAsync(aborted).ConfigureAwait(false);
        var offset = 0;
        while (offset < response.Body.Length)
        {
            if (response.PauseAfterBytes == offset)
            {
                await PauseAsync(response, aborted).ConfigureAwait(false);
            }

            var size = response.MaxChunk <= 0 ? response.Body.Length - offset : random.Next(1, response.MaxChunk + 1);
            size = Math.Min(size, response.Body.Length - offset);
            if (response.PauseAfterBytes is { } pause && offset < pause && offset + size > pause)
            {
                size = pause - offset;
            }

            await bodyStream.WriteAsync(response.Body.AsMemory(offset, size), aborted).ConfigureAwait(false);
            await bodyStream.FlushAsync(aborted).ConfigureAwait(false);
            offset += size;
        }

        if (response.PauseAfterBytes == offset)
        {
            await PauseAsync(response, aborted).ConfigureAwait(false);
        }
    }

    private async Task PauseAsync(FakeProviderResponse response, CancellationToken aborted)
    {
        _paused.TrySetResult();
        await (response.Resume ?? Task.Delay(Timeout.Infinite, aborted)).WaitAsync(aborted).ConfigureAwait(false);
    }
}
