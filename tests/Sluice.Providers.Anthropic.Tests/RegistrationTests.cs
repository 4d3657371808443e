using Microsoft.Extensions.DependencyInjection;
using Sluice.Protocol;

namespace Sluice.Providers.Anthropic.Tests;

public sealed class RegistrationTests
{
    [Fact]
    public void AddSluiceAnthropic_NoApiKeyAnywhere_ThrowsNamingBothSources()
    {
        // The process may legitimately have the variable (a developer's shell); then the fallback is what is tested elsewhere.
        Assert.SkipWhen(
            !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(AnthropicServiceCollectionExtensions.ApiKeyEnvironmentVariable)),
            "ANTHROPIC_API_KEY is set in this process.");

        var ex = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddSluiceAnthropic(new AnthropicProviderOptions()));

        Assert.Contains("ANTHROPIC_API_KEY", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Sluice:Anthropic:ApiKey", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSluiceAnthropic_WithApiKey_RegistersStreamSourceAndTimeProvider()
    {
        using var provider = new ServiceCollection()
            .AddSluiceAnthropic(new AnthropicProviderOptions { ApiKey = "k", Model = "claude-haiku-4-5" })
            .BuildServiceProvider();

        Assert.Equal("claude-haiku-4-5", provider.GetRequiredService<IStreamSource>().DefaultModel);
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void Options_InvalidValues_Throw()
    {
        Assert.Throws<ArgumentException>(() => new AnthropicProviderOptions { ApiKey = " " });
        Assert.Throws<ArgumentException>(() => new AnthropicProviderOptions { BaseUrl = "not a url" });
        Assert.Throws<ArgumentException>(() => new AnthropicProviderOptions { Model = "" });
        Assert.Throws<ArgumentException>(() => new AnthropicProviderOptions { Version = "" });
        Assert.Throws<ArgumentOutOfRangeException>(() => new AnthropicProviderOptions { MaxTokens = 0 });
    }

    [Fact]
    public void Options_Defaults_AreDocumentedValues()
    {
        var options = new AnthropicProviderOptions();

        Assert.Null(options.ApiKey);
        Assert.Null(options.BaseUrl);
        Assert.Equal("claude-sonnet-4-5", options.Model);
        Assert.Equal("2023-06-01", options.Version);
        Assert.Equal(4096, options.MaxTokens);
    }
}
