using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;
using Sluice.Providers;
using Sluice.Providers.Anthropic;
using Sluice.Providers.OpenAI;
using Sluice.Providers.Simulated;

namespace Sluice.Gateway;

/// <summary>Chooses the provider named by <c>Sluice:Provider</c>.</summary>
/// <remarks>
/// A provider that cannot start (an unknown name, a missing API key) fails here, at start-up, with a message naming
/// the setting — never on the first request.
/// </remarks>
internal static class ProviderRegistration
{
    private const string Simulated = "simulated";
    private const string Anthropic = "anthropic";
    private const string OpenAIChat = "openai";
    private const string OpenAIResponses = "openai-responses";
    private const string ChatClient = "chatclient";

    public static IServiceCollection AddSluiceProvider(this IServiceCollection services, IConfigurationSection sluice)
    {
        var provider = sluice["Provider"] ?? Simulated;
        var upstream = sluice.GetSection("Upstream").Get<UpstreamOptions>();
        switch (provider.ToLowerInvariant())
        {
            case Simulated:
                return services.AddSluiceSimulated(sluice.GetSection("Simulated").Get<SimulatedOptions>());
            case Anthropic:
                return services.AddSluiceAnthropic(sluice.GetSection("Anthropic").Get<AnthropicProviderOptions>(), upstream);
            case OpenAIChat:
                return services.AddSluiceOpenAI(sluice.GetSection("OpenAI").Get<OpenAIProviderOptions>(), upstream);
            case OpenAIResponses:
                return services.AddSluiceOpenAIResponses(sluice.GetSection("OpenAI").Get<OpenAIProviderOptions>(), upstream);
            case ChatClient:
                return services.AddOpenAICompatibleChatClient(sluice.GetSection("OpenAI").Get<OpenAIProviderOptions>() ?? new(), upstream);
            default:
                throw new InvalidOperationException(
                    $"Unknown Sluice:Provider '{provider}'. Supported: '{Simulated}', '{Anthropic}', '{OpenAIChat}', '{OpenAIResponses}', '{ChatClient}'.");
        }
    }

    /// <summary>
    /// The <c>chatclient</c> provider as the gateway offers it: Microsoft.Extensions.AI's OpenAI client for the
    /// <c>Sluice:OpenAI</c> endpoint (any OpenAI-compatible server), through <c>AddSluiceChatClient</c>. An app that
    /// hosts Sluice itself registers any <see cref="IChatClient"/> instead.
    /// </summary>
    private static IServiceCollection AddOpenAICompatibleChatClient(this IServiceCollection services, OpenAIProviderOptions options, UpstreamOptions? upstream)
    {
        var key = options.ApiKey ?? Environment.GetEnvironmentVariable("OPENAI_API_KEY");
        if (key is null && options.BaseUrl is null)
        {
            throw new InvalidOperationException(
                "The chatclient provider needs an API key: set Sluice:OpenAI:ApiKey or the OPENAI_API_KEY environment variable (or Sluice:OpenAI:BaseUrl for a local server that needs none).");
        }

        var client = new OpenAIClient(new ApiKeyCredential(key ?? "unused"), new OpenAIClientOptions { Endpoint = options.BaseUrl })
            .GetChatClient(options.Model)
            .AsIChatClient();
        services.AddSingleton(client);
        return services.AddSluiceChatClient(options.Model, upstream);
    }
}
