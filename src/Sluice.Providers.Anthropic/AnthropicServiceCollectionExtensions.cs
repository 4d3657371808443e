using Anthropic;
using Anthropic.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Sluice.Protocol;
using Sluice.Providers;
using Sluice.Providers.Anthropic;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the Anthropic Messages provider.</summary>
public static class AnthropicServiceCollectionExtensions
{
    /// <summary>The environment variable read when <see cref="AnthropicProviderOptions.ApiKey"/> is unset.</summary>
    public const string ApiKeyEnvironmentVariable = "ANTHROPIC_API_KEY";

    /// <summary>
    /// Registers the Anthropic adapter, wrapped with <see cref="StreamSourceExtensions.WithUpstreamResilience"/>, as the
    /// <see cref="IStreamSource"/> singleton, and <see cref="TimeProvider.System"/> as the <see cref="TimeProvider"/>
    /// unless one is already registered.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">The provider settings; defaults (key from <c>ANTHROPIC_API_KEY</c>) when <see langword="null"/>.</param>
    /// <param name="upstream">Stall timeout and retries; <see cref="UpstreamOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">No API key in the options nor in <c>ANTHROPIC_API_KEY</c>.</exception>
    public static IServiceCollection AddSluiceAnthropic(this IServiceCollection services, AnthropicProviderOptions? options = null, UpstreamOptions? upstream = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var resolved = options ?? new AnthropicProviderOptions();
        var apiKey = resolved.ApiKey ?? Environment.GetEnvironmentVariable(ApiKeyEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(apiKey))
        {
            // At registration, so a misconfigured gateway fails at startup rather than on its first request.
            throw new InvalidOperationException(
                $"The Anthropic provider needs an API key: set Sluice:Anthropic:ApiKey or the {ApiKeyEnvironmentVariable} environment variable.");
        }

        resolved = resolved with { ApiKey = apiKey };
        var upstreamOptions = upstream ?? UpstreamOptions.Default;
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IStreamSource>(provider =>
        {
            var timeProvider = provider.GetRequiredService<TimeProvider>();
            var client = CreateClient(resolved, upstreamOptions, timeProvider);
            return new AnthropicStreamSource(client, resolved).WithUpstreamResilience(upstreamOptions, timeProvider);
        });
        return services;
    }

    internal static AnthropicClient CreateClient(AnthropicProviderOptions options, UpstreamOptions upstream, TimeProvider timeProvider) =>
        CreateClient(
            options,
            upstream,
            timeProvider,
            // A stream given up on (cancelled, failed) must close its connection so the provider stops generating,
            // not be drained for reuse.
            new SocketsHttpHandler { MaxResponseDrainSize = 0, ResponseDrainTimeout = TimeSpan.Zero });

    // The transport (the innermost handler) is a parameter so the benchmarks can serve canned bytes in-process, under
    // the same header and stall handlers; the gateway always goes through the overload above.
    internal static AnthropicClient CreateClient(AnthropicProviderOptions options, UpstreamOptions upstream, TimeProvider timeProvider, HttpMessageHandler transport)
    {
        var handler = new AnthropicHeadersHandler(options.ApiKey!, options.Version, timeProvider)
        {
            InnerHandler = new StallTimeoutHandler(upstream.StallTimeout, timeProvider) { InnerHandler = transport },
        };

        // Silence is bounded by the stall handler; a long answer that keeps streaming must not be cut by a total timeout.
        var httpClient = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        var clientOptions = new ClientOptions
        {
            ApiKey = options.ApiKey,
            HttpClient = httpClient,
            Timeout = Timeout.InfiniteTimeSpan,
            // Retries belong to WithUpstreamResilience, which knows whether anything reached the client yet.
            MaxRetries = 0,
        };
        if (options.BaseUrl is { } baseUrl)
        {
            clientOptions.BaseUrl = baseUrl;
        }

        return new AnthropicClient(clientOptions);
    }
}
