using Microsoft.Extensions.DependencyInjection;
using Sluice.Protocol;
using Sluice.TestSupport;

namespace Sluice.Providers.Anthropic.Tests;

/// <summary>The provider as a gateway registers it, pointed at a <see cref="FakeProvider"/>.</summary>
internal static class AnthropicHarness
{
    public const string ApiKey = "sk-ant-test-key";

    public static IStreamSource CreateSource(FakeProvider fake, UpstreamOptions? upstream = null, AnthropicProviderOptions? options = null)
    {
        var services = new ServiceCollection().AddSluiceAnthropic(
            (options ?? new AnthropicProviderOptions()) with { ApiKey = ApiKey, BaseUrl = fake.BaseAddress.ToString() },
            upstream);
        return services.BuildServiceProvider().GetRequiredService<IStreamSource>();
    }

    public static StreamRequest Hello() => new([new StreamMessage(MessageRole.User, "Hello")]);

    public static async Task<List<StreamEvent>> CollectAsync(IStreamSource source, StreamRequest request, CancellationToken cancellationToken)
    {
        var events = new List<StreamEvent>();
        await foreach (var evt in source.StreamAsync(request, cancellationToken))
        {
            events.Add(evt);
        }

        return events;
    }

    public static string Transcript(string name) => RepositoryPaths.Combine("tests", "Fixtures", "transcripts", name);
}
