using System.Net;
using System.Text.Json;
using Sluice.Protocol;
using Sluice.TestSupport;

namespace Sluice.Gateway.Tests;

/// <summary>
/// The whole path per provider: <c>POST /v1/streams</c> on the gateway → the real SDK adapter chosen by
/// <c>Sluice:Provider</c> → a fake provider replaying a recording → Sluice events on the wire.
/// </summary>
public sealed class ProviderEndToEndTests
{
    private const string Ask = """{"messages":[{"role":"user","content":"Hello"}]}""";

    public static TheoryData<string, string> Recordings => new()
    {
        { "anthropic", "anthropic-text-markdown" },
        { "anthropic", "anthropic-tool-use" },
        { "openai", "openai-chat-text" },
        { "openai", "openai-chat-tools" },
        { "openai-responses", "openai-responses-text-tool" },
        { "chatclient", "openai-chat-text" },
    };

    [Theory]
    [MemberData(nameof(Recordings))]
    public async Task Post_ThroughEachProvider_StreamsTheRecordingsContent(string provider, string recording)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeProvider.StartAsync(ct);
        fake.Enqueue(FakeProviderResponse.FromFile(RecordedTranscripts.Path(recording + ".sse")) with { MaxChunk = 7 });
        await using var gateway = GatewayHost.Start(Settings(provider, fake));
        var expected = await ExpectedAsync(recording, ct);

        using var response = await gateway.PostStreamAsync(Ask, ct);
        var state = await ReadToEndAsync(response, ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(state.IsComplete);
        Assert.Null(state.Error);
        Assert.Equal(expected.GetProperty("text").GetString() ?? string.Empty, state.Text);
        var expectedCalls = expected.GetProperty("toolCalls").EnumerateArray()
            .Select(call => (call.GetProperty("id").GetString(), call.GetProperty("name").GetString(), ArgumentsOnTheWire(call.GetProperty("argumentsRaw").GetString())))
            .ToList();
        if (provider == "chatclient")
        {
            // IChatClient hands over arguments parsed, not as the provider's text: compare their meaning.
            Assert.Equal(expectedCalls.Select(c => (c.Item1, c.Item2)), state.ToolCalls.Select(c => ((string?)c.Id, (string?)c.Name)));
        }
        else
        {
            Assert.Equal(expectedCalls, state.ToolCalls.Select(c => ((string?)c.Id, (string?)c.Name, (string?)c.Arguments)));
        }

        Assert.Equal(expectedCalls.Count > 0 ? FinishReason.ToolCalls : FinishReason.Stop, state.FinishReason);
        Assert.NotNull(state.Usage);
        Assert.True(state.Usage.OutputTokens > 0);
    }

    [Fact]
    public async Task Post_StructuredOutputThroughOpenAI_EndsWithTheValidatedValue()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeProvider.StartAsync(ct);
        static string Chunk(string content) =>
            $$"""data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":{{JsonSerializer.Serialize(content)}}},"finish_reason":null}]}""" + "\n\n";
        var body = Chunk("{\"city\":\"Pa") + Chunk("ris\",\"days\"") + Chunk(":14}")
            + """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}""" + "\n\n"
            + """data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":9,"total_tokens":14}}""" + "\n\n"
            + "data: [DONE]\n\n";
        fake.Enqueue(new FakeProviderResponse { Body = System.Text.Encoding.UTF8.GetBytes(body), MaxChunk = 5 });
        await using var gateway = GatewayHost.Start(Settings("openai", fake));
        const string Request = """
            {"messages":[{"role":"user","content":"Trip?"}],
             "responseFormat":{"type":"json_schema","name":"trip","schema":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city","days"]}}}
            """;

        using var response = await gateway.PostStreamAsync(Request, ct);
        var state = await ReadToEndAsync(response, ct);

        Assert.NotNull(state.Object);
        Assert.True(state.Object.Complete);
        Assert.True(state.Object.Valid);
        Assert.Equal("Paris", state.Object.Value!.Value.GetProperty("city").GetString());
        Assert.Equal(14, state.Object.Value!.Value.GetProperty("days").GetInt32());
        Assert.Equal("json_schema", JsonDocument.Parse(Assert.Single(fake.Requests).Body).RootElement.GetProperty("response_format").GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("anthropic", "anthropic-text-markdown")]
    [InlineData("openai", "openai-chat-text")]
    [InlineData("openai-responses", "openai-responses-text-tool")]
    public async Task Delete_WhileStreaming_ClosesTheProviderConnection(string provider, string recording)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeProvider.StartAsync(ct);
        var body = await File.ReadAllBytesAsync(RecordedTranscripts.Path(recording + ".sse"), ct);
        fake.Enqueue(new FakeProviderResponse { Body = body, PauseAfterBytes = body.Length / 2 });
        await using var gateway = GatewayHost.Start(Settings(provider, fake));

        using var started = await gateway.PostStreamAsync(Ask, ct);
        await fake.Paused.WaitAsync(TimeSpan.FromSeconds(10), ct);
        using var cancelled = await gateway.DeleteStreamAsync(started, ct);
        var state = await ReadToEndAsync(started, ct);

        Assert.Equal(HttpStatusCode.Accepted, cancelled.StatusCode);
        await fake.CallerGone.WaitAsync(TimeSpan.FromSeconds(10), ct);
        Assert.Equal(FinishReason.Cancelled, state.FinishReason);
    }

    [Theory]
    [InlineData("anthropic", 429, "rate_limited")]
    [InlineData("openai", 401, "auth_failed")]
    [InlineData("openai-responses", 503, "overloaded")]
    public async Task Post_ProviderRefuses_ErrorEventNamesTheCause(string provider, int status, string code)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeProvider.StartAsync(ct);
        fake.Enqueue(new FakeProviderResponse
        {
            Status = status,
            ContentType = "application/json",
            Headers = new Dictionary<string, string> { ["retry-after"] = "7" },
            Body = """{"type":"error","error":{"type":"some_error","message":"provider says no"}}"""u8.ToArray(),
        });
        await using var gateway = GatewayHost.Start(Settings(provider, fake));

        using var response = await gateway.PostStreamAsync(Ask, ct);
        var state = await ReadToEndAsync(response, ct);

        Assert.NotNull(state.Error);
        Assert.Equal(code, state.Error.Code);
        Assert.DoesNotContain(FakeKey, state.Error.Message, StringComparison.Ordinal);
        if (status == 429)
        {
            Assert.Equal(TimeSpan.FromSeconds(7), state.Error.RetryAfter);
        }
    }

    // A call without arguments streams no fragment; the gateway ends it with "{}" (PROTOCOL.md, tool_call_end).
    private static string? ArgumentsOnTheWire(string? raw) => string.IsNullOrEmpty(raw) ? "{}" : raw;

    private const string FakeKey = "sk-test-not-a-real-key";

    private static Dictionary<string, string?> Settings(string provider, FakeProvider fake)
    {
        var section = provider == "anthropic" ? "Anthropic" : "OpenAI";
        return new()
        {
            ["Sluice:Provider"] = provider,
            [$"Sluice:{section}:ApiKey"] = FakeKey,
            [$"Sluice:{section}:BaseUrl"] = provider == "anthropic" ? fake.BaseAddress.ToString() : new Uri(fake.BaseAddress, "v1").ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
        };
    }

    private static async Task<JsonElement> ExpectedAsync(string recording, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(RecordedTranscripts.Path(recording + ".expected.json"));
        using var document = await JsonDocument.ParseAsync(file, cancellationToken: cancellationToken);
        return document.RootElement.GetProperty("expected").Clone();
    }

    private static async Task<StreamAccumulator> ReadToEndAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var state = new StreamAccumulator();
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var evt in StreamEventReader.ReadAsync(body, cancellationToken))
        {
            state.Apply(evt);
        }

        return state;
    }
}
