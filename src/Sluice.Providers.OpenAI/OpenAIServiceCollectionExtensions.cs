using Microsoft.Extensions.DependencyInjection.Extensions;
using Sluice.Protocol;
using Sluice.Providers;
using Sluice.Providers.OpenAI;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the OpenAI providers (Chat Completions or Responses).</summary>
public static class OpenAIServiceCollectionExtensions
{
    /// <summary>
    /// Registers OpenAI's Chat Completions API (or any OpenAI-compatible server at <see cref="OpenAIProviderOptions.BaseUrl"/>)
    /// as the <see cref="IStreamSource"/> singleton, with the shared upstream resilience, and
    /// <see cref="TimeProvider.System"/> as the <see cref="TimeProvider"/> unless one is already registered.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">Key, base URL and default model; defaults (key from <c>OPENAI_API_KEY</c>) when <see langword="null"/>.</param>
    /// <param name="upstream">Stall timeout and retries; <see cref="UpstreamOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">
    /// No API key (neither <c>Sluice:OpenAI:ApiKey</c> nor <c>OPENAI_API_KEY</c>) and no custom base URL.
    /// </exception>
    public static IServiceCollection AddSluiceOpenAI(this IServiceCollection services, OpenAIProviderOptions? options = null, UpstreamOptions? upstream = null) =>
        AddSluiceOpenAI(services, options, upstream, Environment.GetEnvironmentVariable);

    /// <summary>
    /// Registers OpenAI's Responses API (or a compatible server at <see cref="OpenAIProviderOptions.BaseUrl"/>) as the
    /// <see cref="IStreamSource"/> singleton, with the shared upstream resilience, and <see cref="TimeProvider.System"/>
    /// as the <see cref="TimeProvider"/> unless one is already registered.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="options">Key, base URL and default model; defaults (key from <c>OPENAI_API_KEY</c>) when <see langword="null"/>.</param>
    /// <param name="upstream">Stall timeout and retries; <see cref="UpstreamOptions.Default"/> when <see langword="null"/>.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">
    /// No API key (neither <c>Sluice:OpenAI:ApiKey</c> nor <c>OPENAI_API_KEY</c>) and no custom base URL.
    /// </exception>
    public static IServiceCollection AddSluiceOpenAIResponses(this IServiceCollection services, OpenAIProviderOptions? options = null, UpstreamOptions? upstream = null) =>
        AddSluiceOpenAIResponses(services, options, upstream, Environment.GetEnvironmentVariable);

    // The environment is a parameter so tests need not touch the process's OPENAI_API_KEY.
    internal static IServiceCollection AddSluiceOpenAI(IServiceCollection services, OpenAIProviderOptions? options, UpstreamOptions? upstream, Func<string, string?> environment) =>
        Register(services, options, upstream, environment, static (apiKey, resolved, resilience, timeProvider) =>
            new ChatCompletionsStreamSource(OpenAIClientFactory.CreateOpenAIClient(apiKey, resolved, resilience, timeProvider), resolved.Model, timeProvider));

    internal static IServiceCollection AddSluiceOpenAIResponses(IServiceCollection services, OpenAIProviderOptions? options, UpstreamOptions? upstream, Func<string, string?> environment) =>
        Register(services, options, upstream, environment, static (apiKey, resolved, resilience, timeProvider) =>
            new ResponsesStreamSource(OpenAIClientFactory.CreateResponsesClient(apiKey, resolved, resilience, timeProvider), resolved.Model, timeProvider));

    private static IServiceCollection Register(
        IServiceCollection services,
        OpenAIProviderOptions? options,
        UpstreamOptions? upstream,
        Func<string, string?> environment,
        Func<string, OpenAIProviderOptions, UpstreamOptions, TimeProvider, IStreamSource> createSource)
    {
        ArgumentNullException.ThrowIfNull(services);
        var resolved = options ?? new OpenAIProviderOptions();
        var resilience = upstream ?? UpstreamOptions.Default;

        // Resolved now, so a missing key fails at startup rather than on the first request.
        var apiKey = OpenAIClientFactory.ResolveApiKey(resolved, environment);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IStreamSource>(provider =>
        {
            var timeProvider = provider.GetRequiredService<TimeProvider>();
            return createSource(apiKey, resolved, resilience, timeProvider).WithUpstreamResilience(resilience, timeProvider);
        });
        return services;
    }
}
