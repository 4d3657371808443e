namespace Sluice.Gateway.Tests;

/// <summary>The gateway refuses to start with a configuration it cannot serve, and says which setting to fix.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("anthropic", "ANTHROPIC_API_KEY", "Sluice:Anthropic:ApiKey")]
    [InlineData("openai", "OPENAI_API_KEY", "Sluice:OpenAI:ApiKey")]
    [InlineData("openai-responses", "OPENAI_API_KEY", "Sluice:OpenAI:ApiKey")]
    public void Start_ProviderWithoutKey_FailsNamingTheSetting(string provider, string variable, string setting)
    {
        Assert.SkipWhen(!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(variable)), $"{variable} is set in this process.");

        var ex = Assert.ThrowsAny<Exception>(() => GatewayHost.Start(new Dictionary<string, string?> { ["Sluice:Provider"] = provider }));

        var message = Flatten(ex);
        Assert.Contains(variable, message, StringComparison.Ordinal);
        Assert.Contains(setting, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_UnknownProvider_FailsListingTheChoices()
    {
        var ex = Assert.ThrowsAny<Exception>(() => GatewayHost.Start(new Dictionary<string, string?> { ["Sluice:Provider"] = "gemini" }));

        var message = Flatten(ex);
        Assert.Contains("gemini", message, StringComparison.Ordinal);
        Assert.Contains("anthropic", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_UnknownReplayLog_FailsListingTheChoices()
    {
        var ex = Assert.ThrowsAny<Exception>(() => GatewayHost.Start(new Dictionary<string, string?> { ["Sluice:ReplayLog"] = "cassandra" }));

        var message = Flatten(ex);
        Assert.Contains("cassandra", message, StringComparison.Ordinal);
        Assert.Contains("'memory'", message, StringComparison.Ordinal);
        Assert.Contains("'redis'", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_RedisLogWithoutConnectionString_FailsNamingTheSetting()
    {
        var ex = Assert.ThrowsAny<Exception>(() => GatewayHost.Start(new Dictionary<string, string?> { ["Sluice:ReplayLog"] = "redis" }));

        Assert.Contains("ConnectionStrings:Redis", Flatten(ex), StringComparison.Ordinal);
    }

    private static string Flatten(Exception exception) =>
        exception is AggregateException aggregate
            ? string.Join(" | ", aggregate.Flatten().InnerExceptions.Select(e => e.Message))
            : exception.Message + (exception.InnerException is { } inner ? " | " + Flatten(inner) : string.Empty);
}
