using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Protocol;
using Sluice.TestSupport;

namespace Sluice.Providers.OpenAI.Tests;

/// <summary>A fake OpenAI on loopback and the registered adapter (real SDK, real transport) pointed at it.</summary>
internal sealed class OpenAITestHost : IAsyncDisposable
{
    public const string ApiKey = "sk-test-key";

    private readonly ServiceProvider _services;

    private OpenAITestHost(FakeProvider provider, ServiceProvider services)
    {
        Provider = provider;
        _services = services;
        Source = services.GetRequiredService<IStreamSource>();
    }

    public FakeProvider Provider { get; }

    public IStreamSource Source { get; }

    public static Task<OpenAITestHost> StartChatAsync(CancellationToken cancellationToken) => StartAsync(responses: false, cancellationToken);

    public static Task<OpenAITestHost> StartResponsesAsync(CancellationToken cancellationToken) => StartAsync(responses: true, cancellationToken);

    public static async Task<OpenAITestHost> StartAsync(bool responses, CancellationToken cancellationToken, string? apiKey = ApiKey)
    {
        var provider = await FakeProvider.StartAsync(cancellationToken);
        var options = new OpenAIProviderOptions { ApiKey = apiKey, BaseUrl = new Uri(provider.BaseAddress, "v1") };
        var services = new ServiceCollection();
        if (responses)
        {
            OpenAIServiceCollectionExtensions.AddSluiceOpenAIResponses(services, options, upstream: null, _ => null);
        }
        else
        {
            OpenAIServiceCollectionExtensions.AddSluiceOpenAI(services, options, upstream: null, _ => null);
        }

        return new OpenAITestHost(provider, services.BuildServiceProvider());
    }

    public void Enqueue(string sse, int maxChunk = 0, int seed = 0) =>
        Provider.Enqueue(new FakeProviderResponse { Body = Encoding.UTF8.GetBytes(sse), MaxChunk = maxChunk, ChunkSeed = seed });

    public async Task<List<StreamEvent>> CollectAsync(StreamRequest request, CancellationToken cancellationToken)
    {
        var events = new List<StreamEvent>();
        await foreach (var streamEvent in Source.StreamAsync(request, cancellationToken))
        {
            events.Add(streamEvent);
        }

        return events;
    }

    public static StreamRequest Ask(string prompt) => new([new StreamMessage(MessageRole.User, prompt)]);

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Provider.DisposeAsync();
    }
}
