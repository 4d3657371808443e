using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Protocol;

namespace Sluice.AspNetCore.Tests;

/// <summary>A run outlives its request, so it must not carry the request's ambient state (AsyncLocals) along.</summary>
public sealed class AmbientStateTests
{
    private static readonly AsyncLocal<string?> RequestScoped = new();

    [Fact]
    public async Task Run_DoesNotSeeTheStartingRequestsAsyncLocals()
    {
        var source = new AmbientProbeSource();
        await using var gateway = await TestGateway.StartAsync(source, configure: builder => builder.Services.AddSingleton<IStartupFilter, SetAsyncLocalFilter>());

        using var started = await gateway.Client.SendStreamingAsync(SseClient.Post());
        var events = await started.ReadAllEventsAsync();

        Assert.IsType<DoneEvent>(events[^1].Event);
        Assert.True(source.Called);
        Assert.Null(source.SeenByProvider); // The middleware's value stayed with the request.
    }

    private sealed class SetAsyncLocalFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                RequestScoped.Value = "request " + context.TraceIdentifier;
                return nextMiddleware(context);
            });
            next(app);
        };
    }

    private sealed class AmbientProbeSource : IStreamSource
    {
        public string DefaultModel => "probe";

        public bool Called { get; private set; }

        public string? SeenByProvider { get; private set; }

        public async IAsyncEnumerable<StreamEvent> StreamAsync(StreamRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            Called = true;
            SeenByProvider = RequestScoped.Value;
            await Task.Yield();
            yield return new TokenEvent("hi");
        }
    }
}
