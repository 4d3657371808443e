using System.Text;
using Sluice.Protocol;
using Sluice.TestSupport;

namespace Sluice.Providers.Anthropic.Tests;

public sealed class UpstreamFaultTests
{
    private static byte[] ErrorBody(string type, string message) =>
        Encoding.UTF8.GetBytes($$$"""{"type":"error","error":{"type":"{{{type}}}","message":"{{{message}}}"}}""");

    private static async Task<ErrorEvent> SingleErrorAsync(FakeProviderResponse response)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeProvider.StartAsync(ct);
        fake.Enqueue(response);
        var events = await AnthropicHarness.CollectAsync(AnthropicHarness.CreateSource(fake), AnthropicHarness.Hello(), ct);
        Assert.Single(fake.Requests);
        return Assert.IsType<ErrorEvent>(Assert.Single(events));
    }

    [Fact]
    public async Task StreamAsync_Http401_AuthFailed()
    {
        var error = await SingleErrorAsync(new FakeProviderResponse
        {
            Status = 401, ContentType = "application/json", Body = ErrorBody("authentication_error", "invalid x-api-key"),
        });

        Assert.Equal(UpstreamErrors.AuthFailedCode, error.Code);
        Assert.False(error.Retryable);
        Assert.DoesNotContain(AnthropicHarness.ApiKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamAsync_Http429WithRetryAfter_RateLimitedWithRetryAfter()
    {
        var error = await SingleErrorAsync(new FakeProviderResponse
        {
            Status = 429,
            ContentType = "application/json",
            Headers = new Dictionary<string, string> { ["retry-after"] = "17" },
            Body = ErrorBody("rate_limit_error", "slow down"),
        });

        Assert.Equal(UpstreamErrors.RateLimitedCode, error.Code);
        Assert.True(error.Retryable);
        Assert.Equal(TimeSpan.FromSeconds(17), error.RetryAfter);
    }

    [Fact]
    public async Task StreamAsync_Http529_Overloaded()
    {
        var error = await SingleErrorAsync(new FakeProviderResponse
        {
            Status = 529, ContentType = "application/json", Body = ErrorBody("overloaded_error", "Overloaded"),
        });

        Assert.Equal(UpstreamErrors.OverloadedCode, error.Code);
        Assert.True(error.Retryable);
    }

    [Fact]
    public async Task StreamAsync_Http400_RejectedWithProviderMessage()
    {
        var error = await SingleErrorAsync(new FakeProviderResponse
        {
            Status = 400, ContentType = "application/json", Body = ErrorBody("invalid_request_error", "max_tokens: too large"),
        });

        Assert.Equal(UpstreamErrors.RejectedCode, error.Code);
        Assert.Contains("max_tokens: too large", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamAsync_StreamCutBeforeMessageStop_Truncated()
    {
        var body = await File.ReadAllBytesAsync(AnthropicHarness.Transcript("anthropic-text-markdown.sse"), TestContext.Current.CancellationToken);
        var cut = Encoding.UTF8.GetString(body);
        cut = cut[..cut.IndexOf("event: message_delta", StringComparison.Ordinal)];
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeProvider.StartAsync(ct);
        fake.Enqueue(new FakeProviderResponse { Body = Encoding.UTF8.GetBytes(cut) });

        var events = await AnthropicHarness.CollectAsync(AnthropicHarness.CreateSource(fake), AnthropicHarness.Hello(), ct);

        Assert.NotEmpty(events.OfType<TokenEvent>());
        Assert.Equal(UpstreamErrors.TruncatedCode, Assert.IsType<ErrorEvent>(events[^1]).Code);
        Assert.DoesNotContain(events, e => e is DoneEvent);
    }

    [Fact]
    public async Task StreamAsync_ConnectionResetMidStream_Disconnected()
    {
        var body = await File.ReadAllBytesAsync(AnthropicHarness.Transcript("anthropic-text-markdown.sse"), TestContext.Current.CancellationToken);
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeProvider.StartAsync(ct);
        fake.Enqueue(new FakeProviderResponse { Body = body[..(body.Length / 2)], AbortAtEnd = true });

        var events = await AnthropicHarness.CollectAsync(AnthropicHarness.CreateSource(fake), AnthropicHarness.Hello(), ct);

        // A reset may discard bytes the client had not read yet, so how many tokens arrive first varies.
        Assert.DoesNotContain(events, e => e is DoneEvent);
        var error = Assert.IsType<ErrorEvent>(events[^1]);
        Assert.Equal(UpstreamErrors.DisconnectedCode, error.Code);
        Assert.True(error.Retryable);
    }

    [Fact]
    public async Task StreamAsync_Cancelled_AbortsUpstreamRequest()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeProvider.StartAsync(ct);
        var body = await File.ReadAllBytesAsync(AnthropicHarness.Transcript("anthropic-text-markdown.sse"), ct);
        fake.Enqueue(new FakeProviderResponse { Body = body, PauseAfterBytes = body.Length / 2 });
        var source = AnthropicHarness.CreateSource(fake);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);

        var events = new List<StreamEvent>();
        var run = Task.Run(
            async () =>
            {
                await foreach (var evt in source.StreamAsync(AnthropicHarness.Hello(), cts.Token))
                {
                    events.Add(evt);
                }
            },
            ct);
        await fake.Paused.WaitAsync(TimeSpan.FromSeconds(5), ct);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(TimeSpan.FromSeconds(5), ct));
        Assert.DoesNotContain(events, e => e is DoneEvent or ErrorEvent);

        await fake.CallerGone.WaitAsync(TimeSpan.FromSeconds(5), ct);
    }

    [Fact]
    public async Task StreamAsync_RetryableFailureBeforeFirstEvent_RetriedWhenConfigured()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeProvider.StartAsync(ct);
        fake.Enqueue(new FakeProviderResponse { Status = 529, ContentType = "application/json", Body = ErrorBody("overloaded_error", "Overloaded") });
        fake.Enqueue(FakeProviderResponse.FromFile(AnthropicHarness.Transcript("anthropic-text-markdown.sse")));
        var source = AnthropicHarness.CreateSource(fake, new UpstreamOptions { MaxAttempts = 2, InitialBackoff = TimeSpan.Zero });

        var events = await AnthropicHarness.CollectAsync(source, AnthropicHarness.Hello(), ct);

        Assert.Equal(2, fake.Requests.Count);
        Assert.IsType<DoneEvent>(events[^1]);
    }
}
