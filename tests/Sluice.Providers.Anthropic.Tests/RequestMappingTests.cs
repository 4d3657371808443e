using System.Text;
using System.Text.Json;
using Sluice.Protocol;
using Sluice.TestSupport;

namespace Sluice.Providers.Anthropic.Tests;

public sealed class RequestMappingTests
{
    private static readonly byte[] MinimalStream = Encoding.UTF8.GetBytes(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n" +
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":2}}\n\n" +
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

    [Fact]
    public async Task StreamAsync_FullConversation_SendsMessagesApiBody()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeProvider.StartAsync(ct);
        fake.Enqueue(new FakeProviderResponse { Body = MinimalStream });
        var source = AnthropicHarness.CreateSource(fake);
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");
        var request = new StreamRequest(
        [
            new StreamMessage(MessageRole.System, "Be brief."),
            new StreamMessage(MessageRole.User, "Weather in Paris and the time?"),
            new StreamMessage(MessageRole.Assistant, "Checking.")
            {
                ToolCalls = [new MessageToolCall("toolu_1", "get_weather", """{"city":"Paris"}"""), new MessageToolCall("toolu_2", "get_time", "{}")],
            },
            new StreamMessage(MessageRole.Tool, "18°C") { ToolCallId = "toolu_1" },
            new StreamMessage(MessageRole.Tool, "12:00") { ToolCallId = "toolu_2" },
        ])
        {
            Model = "claude-opus-4-1",
            MaxTokens = 300,
            Temperature = 0.25,
            Tools = [new ToolDefinition("get_weather", "Weather for a city", schema.RootElement.Clone()), new ToolDefinition("get_time")],
        };

        var events = await AnthropicHarness.CollectAsync(source, request, ct);

        Assert.IsType<DoneEvent>(Assert.Single(events));
        var sent = Assert.Single(fake.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/messages", sent.Path);
        Assert.Equal(AnthropicHarness.ApiKey, sent.Headers["x-api-key"]);
        Assert.False(sent.Headers.ContainsKey("Authorization"));
        Assert.Equal("2023-06-01", sent.Headers["anthropic-version"]);

        using var body = JsonDocument.Parse(sent.Body);
        var root = body.RootElement;
        Assert.Equal("claude-opus-4-1", root.GetProperty("model").GetString());
        Assert.Equal(300, root.GetProperty("max_tokens").GetInt32());
        Assert.Equal(0.25, root.GetProperty("temperature").GetDouble());
        Assert.True(root.GetProperty("stream").GetBoolean());
        Assert.Equal("Be brief.", root.GetProperty("system").GetString());

        var messages = root.GetProperty("messages");
        Assert.Equal(3, messages.GetArrayLength());
        Assert.Equal("user", messages[0].GetProperty("role").GetString());
        Assert.Equal("Weather in Paris and the time?", messages[0].GetProperty("content").GetString());

        Assert.Equal("assistant", messages[1].GetProperty("role").GetString());
        var assistant = messages[1].GetProperty("content");
        Assert.Equal("text", assistant[0].GetProperty("type").GetString());
        Assert.Equal("Checking.", assistant[0].GetProperty("text").GetString());
        Assert.Equal("tool_use", assistant[1].GetProperty("type").GetString());
        Assert.Equal("toolu_1", assistant[1].GetProperty("id").GetString());
        Assert.Equal("get_weather", assistant[1].GetProperty("name").GetString());
        Assert.Equal("Paris", assistant[1].GetProperty("input").GetProperty("city").GetString());
        Assert.Equal(JsonValueKind.Object, assistant[2].GetProperty("input").ValueKind);

        // Both results of the parallel calls travel in the one user message that follows.
        Assert.Equal("user", messages[2].GetProperty("role").GetString());
        var results = messages[2].GetProperty("content");
        Assert.Equal(2, results.GetArrayLength());
        Assert.Equal("tool_result", results[0].GetProperty("type").GetString());
        Assert.Equal("toolu_1", results[0].GetProperty("tool_use_id").GetString());
        Assert.Equal("18°C", results[0].GetProperty("content").GetString());
        Assert.Equal("toolu_2", results[1].GetProperty("tool_use_id").GetString());

        var tools = root.GetProperty("tools");
        Assert.Equal(2, tools.GetArrayLength());
        Assert.Equal("get_weather", tools[0].GetProperty("name").GetString());
        Assert.Equal("Weather for a city", tools[0].GetProperty("description").GetString());
        Assert.True(JsonElement.DeepEquals(schema.RootElement, tools[0].GetProperty("input_schema")));
        Assert.False(tools[1].TryGetProperty("description", out _));
        Assert.Equal("""{"type":"object"}""", tools[1].GetProperty("input_schema").GetRawText());
        Assert.False(root.TryGetProperty("tool_choice", out _));
    }

    [Fact]
    public async Task StreamAsync_NoModelOrMaxTokens_UsesOptionDefaults()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeProvider.StartAsync(ct);
        fake.Enqueue(new FakeProviderResponse { Body = MinimalStream });
        var source = AnthropicHarness.CreateSource(fake, options: new AnthropicProviderOptions { Version = "2099-01-01" });

        await AnthropicHarness.CollectAsync(source, AnthropicHarness.Hello(), ct);

        var sent = Assert.Single(fake.Requests);
        using var body = JsonDocument.Parse(sent.Body);
        Assert.Equal("claude-sonnet-4-5", body.RootElement.GetProperty("model").GetString());
        Assert.Equal(4096, body.RootElement.GetProperty("max_tokens").GetInt32());
        Assert.False(body.RootElement.TryGetProperty("system", out _));
        Assert.False(body.RootElement.TryGetProperty("temperature", out _));
        Assert.Equal("2099-01-01", sent.Headers["anthropic-version"]);
        Assert.Equal("claude-sonnet-4-5", source.DefaultModel);
    }

    [Fact]
    public async Task StreamAsync_ResponseFormat_ForcesToolAndStreamsObjectDeltas()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeProvider.StartAsync(ct);
        fake.Enqueue(new FakeProviderResponse
        {
            Body = Encoding.UTF8.GetBytes(
                "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}\n\n" +
                "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_9\",\"name\":\"city\",\"input\":{}}}\n\n" +
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"\"}}\n\n" +
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"name\\\": \\\"Par\"}}\n\n" +
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"is\\\"}\"}}\n\n" +
                "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":12}}\n\n" +
                "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"),
        });
        var source = AnthropicHarness.CreateSource(fake);
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"name":{"type":"string"}}}""");
        var request = AnthropicHarness.Hello() with { ResponseFormat = new ResponseFormat(schema.RootElement.Clone(), "city") };

        var events = await AnthropicHarness.CollectAsync(source, request, ct);

        Assert.Equal(["{\"name\": \"Par", "is\"}"], events.OfType<ObjectEvent>().Select(e => e.Delta));
        Assert.DoesNotContain(events, e => e is ToolCallStartEvent or ToolCallDeltaEvent or ToolCallEndEvent);
        Assert.DoesNotContain(events.OfType<ObjectEvent>(), e => e.IsFinal);
        Assert.Equal(new DoneEvent(FinishReason.Stop, new Usage(9, 12)), events[^1]);

        using var body = JsonDocument.Parse(Assert.Single(fake.Requests).Body);
        var tool = Assert.Single(body.RootElement.GetProperty("tools").EnumerateArray());
        Assert.Equal("city", tool.GetProperty("name").GetString());
        Assert.True(JsonElement.DeepEquals(schema.RootElement, tool.GetProperty("input_schema")));
        Assert.Equal("""{"type":"tool","name":"city"}""", body.RootElement.GetProperty("tool_choice").GetRawText());
    }
}
