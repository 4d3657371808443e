using System.Text.Json;
using Sluice.Protocol;
using Sluice.TestSupport;

namespace Sluice.Providers.OpenAI.Tests;

/// <summary>What the Chat Completions adapter sends: inspected on the fake provider's side of the wire.</summary>
public sealed class ChatRequestMappingTests
{
    private static readonly string TextTranscript = RepositoryPaths.Combine("tests", "Fixtures", "transcripts", "openai-chat-text.sse");

    [Fact]
    public async Task StreamAsync_FullConversation_SendsMessagesToolsAndOptions()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await OpenAITestHost.StartChatAsync(ct);
        host.Provider.Enqueue(FakeProviderResponse.FromFile(TextTranscript));
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}""");
        var request = new StreamRequest(
        [
            new StreamMessage(MessageRole.System, "Be brief."),
            new StreamMessage(MessageRole.User, "Weather in Zürich?"),
            new StreamMessage(MessageRole.Assistant, "Checking.") { ToolCalls = [new MessageToolCall("call_1", "get_weather", """{"city":"Zürich"}""")] },
            new StreamMessage(MessageRole.Tool, "12 °C") { ToolCallId = "call_1" },
        ])
        {
            Model = "gpt-4.1",
            MaxTokens = 256,
            Temperature = 0.5,
            Tools = [new ToolDefinition("get_weather", "Gets the weather", schema.RootElement.Clone()), new ToolDefinition("now")],
        };

        await host.CollectAsync(request, ct);

        var sent = Assert.Single(host.Provider.Requests);
        Assert.Equal("POST", sent.Method);
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Equal("Bearer " + OpenAITestHost.ApiKey, sent.Headers["Authorization"]);
        using var body = JsonDocument.Parse(sent.Body);
        var root = body.RootElement;
        Assert.Equal("gpt-4.1", root.GetProperty("model").GetString());
        Assert.True(root.GetProperty("stream").GetBoolean());
        Assert.True(root.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal(256, root.GetProperty("max_completion_tokens").GetInt32());
        Assert.Equal(0.5, root.GetProperty("temperature").GetDouble(), 3);

        var messages = root.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["system", "user", "assistant", "tool"], messages.Select(m => m.GetProperty("role").GetString()));
        Assert.Equal("Weather in Zürich?", ContentText(messages[1]));
        Assert.Equal("Checking.", ContentText(messages[2]));
        var toolCall = Assert.Single(messages[2].GetProperty("tool_calls").EnumerateArray());
        Assert.Equal("call_1", toolCall.GetProperty("id").GetString());
        Assert.Equal("function", toolCall.GetProperty("type").GetString());
        Assert.Equal("get_weather", toolCall.GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"city":"Zürich"}""", toolCall.GetProperty("function").GetProperty("arguments").GetString());
        Assert.Equal("call_1", messages[3].GetProperty("tool_call_id").GetString());
        Assert.Equal("12 °C", ContentText(messages[3]));

        var tools = root.GetProperty("tools").EnumerateArray().ToList();
        Assert.Equal(2, tools.Count);
        Assert.Equal("function", tools[0].GetProperty("type").GetString());
        var function = tools[0].GetProperty("function");
        Assert.Equal("get_weather", function.GetProperty("name").GetString());
        Assert.Equal("Gets the weather", function.GetProperty("description").GetString());
        Assert.Equal("city", function.GetProperty("parameters").GetProperty("required")[0].GetString());
        Assert.Equal("object", tools[1].GetProperty("function").GetProperty("parameters").GetProperty("type").GetString());
    }

    [Fact]
    public async Task StreamAsync_NoModel_SendsDefaultModel()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await OpenAITestHost.StartChatAsync(ct);
        host.Provider.Enqueue(FakeProviderResponse.FromFile(TextTranscript));

        await host.CollectAsync(OpenAITestHost.Ask("hi"), ct);

        using var body = JsonDocument.Parse(Assert.Single(host.Provider.Requests).Body);
        Assert.Equal("gpt-4o-mini", body.RootElement.GetProperty("model").GetString());
        Assert.Equal("gpt-4o-mini", host.Source.DefaultModel);
    }

    [Fact]
    public async Task StreamAsync_ResponseFormat_SendsJsonSchemaAndStreamsObjectDeltas()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await OpenAITestHost.StartChatAsync(ct);
        host.Provider.Enqueue(FakeProviderResponse.FromFile(TextTranscript) with { MaxChunk = 5, ChunkSeed = 7 });
        using var schema = JsonDocument.Parse("""{"type":"object","properties":{"answer":{"type":"string"}}}""");
        var request = OpenAITestHost.Ask("json please") with { ResponseFormat = new ResponseFormat(schema.RootElement.Clone(), "answer_v1") };

        var events = await host.CollectAsync(request, ct);

        using var body = JsonDocument.Parse(Assert.Single(host.Provider.Requests).Body);
        var format = body.RootElement.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        var jsonSchema = format.GetProperty("json_schema");
        Assert.Equal("answer_v1", jsonSchema.GetProperty("name").GetString());
        Assert.False(jsonSchema.GetProperty("strict").GetBoolean());
        Assert.Equal("object", jsonSchema.GetProperty("schema").GetProperty("type").GetString());
        Assert.Empty(events.OfType<TokenEvent>());
        Assert.StartsWith("## Quick answer", string.Concat(events.OfType<ObjectEvent>().Select(e => e.Delta)), StringComparison.Ordinal);
        Assert.DoesNotContain(events.OfType<ObjectEvent>(), e => e.IsFinal);
        EventChecks.Terminal<DoneEvent>(events);
    }

    [Fact]
    public async Task StreamAsync_ToolMessageWithoutCallId_ThrowsArgumentException()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await OpenAITestHost.StartChatAsync(ct);
        var request = new StreamRequest([new StreamMessage(MessageRole.Tool, "result")]);

        var error = await Assert.ThrowsAsync<ArgumentException>(() => host.CollectAsync(request, ct));

        Assert.Contains("ToolCallId", error.Message, StringComparison.Ordinal);
        Assert.Empty(host.Provider.Requests);
    }

    private static string? ContentText(JsonElement message)
    {
        var content = message.GetProperty("content");
        return content.ValueKind == JsonValueKind.String
            ? content.GetString()
            : string.Concat(content.EnumerateArray().Select(p => p.GetProperty("text").GetString()));
    }
}
