using System.Net;
using System.Net.Sockets;
using Sluice.Protocol;

namespace Sluice.Providers.Tests;

public sealed class UpstreamErrorsTests
{
    [Theory]
    [InlineData(401, "auth_failed", false)]
    [InlineData(403, "auth_failed", false)]
    [InlineData(429, "rate_limited", true)]
    [InlineData(529, "overloaded", true)]
    [InlineData(503, "overloaded", true)]
    [InlineData(500, "upstream_error", true)]
    [InlineData(502, "upstream_error", true)]
    [InlineData(400, "upstream_rejected", false)]
    [InlineData(404, "upstream_rejected", false)]
    public void FromStatus_EachStatus_MapsToItsCode(int status, string code, bool retryable)
    {
        var error = UpstreamErrors.FromStatus(status);

        Assert.Equal((code, retryable), (error.Code, error.Retryable));
    }

    [Fact]
    public void FromStatus_RateLimited_CarriesRetryAfter() =>
        Assert.Equal(TimeSpan.FromSeconds(7), UpstreamErrors.FromStatus(429, TimeSpan.FromSeconds(7)).RetryAfter);

    [Fact]
    public void FromStatus_Rejected_PassesTheProviderMessageShortened()
    {
        var error = UpstreamErrors.FromStatus(400, providerMessage: "max_tokens: must be positive\n" + new string('x', 1000));

        Assert.StartsWith("The model provider rejected the request (HTTP 400 BadRequest): max_tokens: must be positive x", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Length < 400);
    }

    [Fact]
    public void FromException_ConnectionFailures_AreDisconnected()
    {
        Assert.Equal("upstream_disconnected", UpstreamErrors.FromException(new HttpRequestException("reset"))!.Code);
        Assert.Equal("upstream_disconnected", UpstreamErrors.FromException(new IOException("closed"))!.Code);
        Assert.Equal("upstream_disconnected", UpstreamErrors.FromException(new InvalidOperationException("wrapped", new SocketException()))!.Code);
    }

    [Fact]
    public void FromException_HttpStatus_MapsTheStatus() =>
        Assert.Equal("auth_failed", UpstreamErrors.FromException(new HttpRequestException("no", null, HttpStatusCode.Unauthorized))!.Code);

    [Fact]
    public void FromException_Stall_IsTimeout() =>
        Assert.Equal("upstream_timeout", UpstreamErrors.FromException(new IOException("x", new UpstreamStallException(TimeSpan.FromSeconds(5))))!.Code);

    [Fact]
    public void FromException_NotAnUpstreamFault_IsNull() =>
        Assert.Null(UpstreamErrors.FromException(new NullReferenceException()));

    [Theory]
    [InlineData("7", 7.0)]
    [InlineData("0.5", 0.5)]
    [InlineData("Wed, 01 Jan 2025 00:00:30 GMT", 30.0)]
    [InlineData("soon", null)]
    [InlineData(null, null)]
    public void ParseRetryAfter_SecondsOrDate(string? value, double? seconds)
    {
        var now = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(seconds is null ? null : TimeSpan.FromSeconds(seconds.Value), UpstreamErrors.ParseRetryAfter(value, now));
    }

    [Fact]
    public void Messages_NeverCarryTheRequestSecrets()
    {
        ErrorEvent[] errors = [UpstreamErrors.FromStatus(401), UpstreamErrors.Disconnected(), UpstreamErrors.Timeout(TimeSpan.FromSeconds(1)), UpstreamErrors.Truncated()];

        Assert.All(errors, e => Assert.DoesNotContain("sk-", e.Message, StringComparison.Ordinal));
    }
}
