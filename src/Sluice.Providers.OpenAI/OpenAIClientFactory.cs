using System.ClientModel;
using System.ClientModel.Primitives;
using OpenAI;
using OpenAI.Responses;

namespace Sluice.Providers.OpenAI;

/// <summary>Builds the SDK clients: Sluice's stall-aware transport, no SDK retries, the configured endpoint and key.</summary>
internal static class OpenAIClientFactory
{
    /// <summary>The environment variable the key falls back to.</summary>
    public const string ApiKeyVariable = "OPENAI_API_KEY";

    /// <summary>The configuration key for the API key, as named in error messages.</summary>
    public const string ApiKeySetting = "Sluice:OpenAI:ApiKey";

    // Sent to a custom BaseUrl when no key is configured: the SDK insists on a credential, local servers ignore it.
    internal const string PlaceholderApiKey = "sluice-no-api-key";

    /// <summary>Resolves the key: the options, then the environment; a placeholder only for a custom base URL.</summary>
    /// <exception cref="InvalidOperationException">No key and no custom base URL.</exception>
    public static string ResolveApiKey(OpenAIProviderOptions options, Func<string, string?> environment)
    {
        var key = options.ApiKey ?? environment(ApiKeyVariable);
        if (!string.IsNullOrWhiteSpace(key))
        {
            return key;
        }

        return options.BaseUrl is not null
            ? PlaceholderApiKey
            : throw new InvalidOperationException(
                $"No OpenAI API key: set {ApiKeySetting} or the {ApiKeyVariable} environment variable (or Sluice:OpenAI:BaseUrl for a local server that needs none).");
    }

    public static OpenAIClient CreateOpenAIClient(string apiKey, OpenAIProviderOptions options, UpstreamOptions upstream, TimeProvider timeProvider) =>
        CreateOpenAIClient(apiKey, options, upstream, timeProvider, CreateTransport());

    // The transport (the innermost handler) is a parameter so the benchmarks can serve canned bytes in-process, under
    // the same cancel and stall handlers; the gateway always goes through the overload above.
    internal static OpenAIClient CreateOpenAIClient(string apiKey, OpenAIProviderOptions options, UpstreamOptions upstream, TimeProvider timeProvider, HttpMessageHandler transport)
    {
        var clientOptions = new OpenAIClientOptions();
        Configure(clientOptions, upstream, timeProvider, transport);
        if (options.BaseUrl is not null)
        {
            clientOptions.Endpoint = options.BaseUrl;
        }

        return new OpenAIClient(new ApiKeyCredential(apiKey), clientOptions);
    }

    public static ResponsesClient CreateResponsesClient(string apiKey, OpenAIProviderOptions options, UpstreamOptions upstream, TimeProvider timeProvider) =>
        CreateResponsesClient(apiKey, options, upstream, timeProvider, CreateTransport());

    // See CreateOpenAIClient: the transport is a parameter for the benchmarks only.
    internal static ResponsesClient CreateResponsesClient(string apiKey, OpenAIProviderOptions options, UpstreamOptions upstream, TimeProvider timeProvider, HttpMessageHandler transport)
    {
        var clientOptions = new ResponsesClientOptions();
        Configure(clientOptions, upstream, timeProvider, transport);
        if (options.BaseUrl is not null)
        {
            clientOptions.Endpoint = options.BaseUrl;
        }

        return new ResponsesClient(new ApiKeyCredential(apiKey), clientOptions);
    }

    private static HttpMessageHandler CreateTransport() => new SocketsHttpHandler();

    private static void Configure(ClientPipelineOptions clientOptions, UpstreamOptions upstream, TimeProvider timeProvider, HttpMessageHandler transport)
    {
        // The stall handler bounds silence; a whole-call timeout would cut long but healthy answers.
#pragma warning disable CA2000 // The HttpClient owns the handler chain and lives as long as the singleton client.
        var handler = new CancelOnAbortHandler
        {
            InnerHandler = new StallTimeoutHandler(upstream.StallTimeout, timeProvider) { InnerHandler = transport },
        };
        var httpClient = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
#pragma warning restore CA2000
        clientOptions.Transport = new HttpClientPipelineTransport(httpClient);
        clientOptions.NetworkTimeout = Timeout.InfiniteTimeSpan;
        // The gateway decides about retries (UpstreamOptions.MaxAttempts, before the first event only).
        clientOptions.RetryPolicy = new ClientRetryPolicy(maxRetries: 0);
    }
}
