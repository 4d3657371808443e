using System.Text;
using Sluice.Protocol;
using Sluice.TestSupport;

namespace Sluice.Providers.OpenAI.Tests;

/// <summary>HTTP errors, cut streams, in-stream errors, cancellation and compatible-server shapes for Chat Completions.</summary>
public sealed class ChatStreamFaultTests
{
    private static readonly string TextTranscript = RepositoryPaths.Combine("tests", "Fixtures", "transcripts", "openai-chat-text.sse");

    [Theory]
    [InlineData(401, "auth_failed", false)]
    [InlineData(500, "upstream_error", true)]
    [InlineData(503, "overloaded", true)]
    public async Task StreamAsync_HttpErrorStatus_EndsWithMappedError(int status, string code, bool retryable)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await OpenAITestHost.StartChatAsync(ct);
        host.Provider.Enqueue(ErrorResponse(status));

        var events = await host.CollectAsync(OpenAITestHost.Ask("hi"), ct);

        var error = EventChecks.Terminal<ErrorEvent>(events);
        Assert.Equal(code, error.Code);
        Assert.Equal(retryable, error.Retryable);
        Assert.DoesNotContain(OpenAITestHost.ApiKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamAsync_Http429WithRetryAfter_EndsRateLimitedWithRetryAfter()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await OpenAITestHost.StartChatAsync(ct);
        host.Provider.Enqueue(ErrorResponse(429) with { Headers = new Dictionary<string, string> { ["retry-after"] = "7" } });

        var events = await host.CollectAsync(OpenAITestHost.Ask("hi"), ct);

        var error = EventChecks.Terminal<ErrorEvent>(events);
        Assert.Equal("rate_limited", error.Code);
        Assert.True(error.Retryable);
        Assert.Equal(TimeSpan.FromSeconds(7), error.RetryAfter);
        Assert.Single(host.Provider.Requests);
    }

    [Fact]
    public async Task StreamAsync_Http400_PassesProviderMessageOn()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await OpenAITestHost.StartChatAsync(ct);
        host.Provider.Enqueue(ErrorResponse(400));

        var events = await host.CollectAsync(OpenAITestHost.Ask("hi"), ct);

        var error = EventChecks.Terminal<ErrorEvent>(events);
        Assert.Equal("upstream_rejected", error.Code);
        Assert.Contains("provider says no", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    public async Task StreamAsync_StreamEndsBeforeFinishReason_EndsTruncated(int maxChunk)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await OpenAITestHost.StartChatAsync(ct);
        var full = await File.ReadAllTextAsync(TextTranscript, ct);
        var cut = full[..full.IndexOf("\"finish_reason\":\"stop\"", StringComparison.Ordinal)];
        cut = cut[..(cut.LastIndexOf("\n\n", StringComparison.Ordinal) + 2)];
        host.Enqueue(cut, maxChunk, seed: 5);

        var events = await host.CollectAsync(OpenAITestHost.Ask("hi"), ct);

        Assert.Equal("upstream_truncated", EventChecks.Terminal<ErrorEvent>(events).Code);
        Assert.StartsWith("## Quick answer", EventChecks.Text(events), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamAsync_ConnectionResetMidStream_EndsWithUpstreamError()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await OpenAITestHost.StartChatAsync(ct);
        var full = await File.ReadAllBytesAsync(TextTranscript, ct);
        host.Provider.Enqueue(new FakeProviderResponse { Body = full[..(full.Length / 2)], AbortAtEnd = true });

        var events = await host.CollectAsync(OpenAITestHost.Ask("hi"), ct);

        var error = EventChecks.Terminal<ErrorEvent>(events);
        Assert.Contains(error.Code, new[] { "upstream_disconnected", "upstream_truncated" });
        Assert.True(error.Retryable);
    }

    [Fact]
    public async Task StreamAsync_MidStreamErrorChunk_EndsWithInStreamError()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await OpenAITestHost.StartChatAsync(ct);
        host.Enqueue(
            Chunk("""{"role":"assistant","content":"Hel"}""") +
            Chunk("""{"content":"lo"}""") +
            "data: {\"error\":{\"type\":\"server_error\",\"message\":\"x\"}}\n\n");

        var events = await host.CollectAsync(OpenAITestHost.Ask("hi"), ct);

        Assert.Equal("Hello", EventChecks.Text(events));
        var error = EventChecks.Terminal<ErrorEvent>(events);
        Assert.Equal("server_error", error.Code);
        Assert.Equal("x", error.Message);
        Assert.True(error.Retryable);
    }

    [Theory]
    [InlineData("length", "length")]
    [InlineData("content_filter", "content_filter")]
    public async Task StreamAsync_FinishReason_IsNormalized(string wire, string expected)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await OpenAITestHost.StartChatAsync(ct);
        host.Enqueue(Chunk("""{"content":"Hi"}""") + Chunk("{}", finishReason: wire) + "data: [DONE]\n\n");

        var events = await host.CollectAsync(OpenAITestHost.Ask("hi"), ct);

        var done = EventChecks.Terminal<DoneEvent>(events);
        Assert.Equal(new FinishReason(expected), done.FinishReason);
        Assert.Equal(Usage.Zero, done.Usage);
    }

    [Fact]
    public async Task StreamAsync_Refusal_IsTextAndFinishesContentFilter()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await OpenAITestHost.StartChatAsync(ct);
        host.Enqueue(Chunk("""{"role":"assistant","content":null,"refusal":"I can't"}""") + Chunk("""{"refusal":" help with that."}""") + Chunk("{}", finishReason: "stop") + "data: [DONE]\n\n");

        var events = await host.CollectAsync(OpenAITestHost.Ask("hi"), ct);

        Assert.Equal("I can't help with that.", string.Concat(events.OfType<TokenEvent>().Select(t => t.Content)));
        Assert.Equal(FinishReason.ContentFilter, EventChecks.Terminal<DoneEvent>(events).FinishReason);
    }

    [Theory]
    [InlineData("reasoning")]
    [InlineData("reasoning_content")]
    public async Task StreamAsync_CompatibleServerWholeToolCallsAndReasoning_MapsThem(string reasoningField)
    {
        // Ollama's shape: reasoning in delta.reasoning, each tool call whole in one chunk, both at index 0.
        var ct = TestContext.Current.CancellationToken;
        await using var host = await OpenAITestHost.StartChatAsync(ct);
        host.Enqueue(
            Chunk($$"""{"role":"assistant","content":"","{{reasoningField}}":"Thinking"}""") +
            Chunk($$"""{"content":"","{{reasoningField}}":" hard"}""") +
            Chunk("""{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"f","arguments":"{\"x\":1}"}}]}""") +
            Chunk("""{"tool_calls":[{"index":0,"id":"call_b","type":"function","function":{"name":"g","arguments":"{}"}}]}""") +
            Chunk("{}", finishReason: "tool_calls") +
            """data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":9,"total_tokens":14}}""" + "\n\n" +
            "data: [DONE]\n\n");

        var events = await host.CollectAsync(OpenAITestHost.Ask("hi"), ct);

        Assert.Equal("Thinking hard", EventChecks.Reasoning(events));
        Assert.Equal([("call_a", "f", """{"x":1}""", """{"x":1}"""), ("call_b", "g", "{}", "{}")], EventChecks.ToolCalls(events));
        Assert.Equal([0, 1], events.OfType<ToolCallStartEvent>().Select(s => s.Index));
        var done = EventChecks.Terminal<DoneEvent>(events);
        Assert.Equal(FinishReason.ToolCalls, done.FinishReason);
        Assert.Equal(new Usage(5, 9), done.Usage);
    }

    [Fact]
    public async Task StreamAsync_CallerCancels_ProviderSeesCallerGone()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await OpenAITestHost.StartChatAsync(ct);
        var body = await File.ReadAllBytesAsync(TextTranscript, ct);
        host.Provider.Enqueue(new FakeProviderResponse { Body = body, PauseAfterBytes = body.Length / 2 });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var streamEvent in host.Source.StreamAsync(OpenAITestHost.Ask("hi"), cts.Token))
            {
                if (streamEvent is TokenEvent)
                {
                    await cts.CancelAsync();
                }
            }
        });

        await host.Provider.CallerGone.WaitAsync(TimeSpan.FromSeconds(10), ct);
    }

    internal static FakeProviderResponse ErrorResponse(int status) => new()
    {
        Status = status,
        ContentType = "application/json",
        Body = Encoding.UTF8.GetBytes("""{"error":{"message":"provider says no","type":"invalid_request_error","param":null,"code":null}}"""),
    };

    private static string Chunk(string delta, string? finishReason = null) =>
        $$"""data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{{delta}},"finish_reason":{{(finishReason is null ? "null" : $"\"{finishReason}\"")}}}]}""" + "\n\n";
}
