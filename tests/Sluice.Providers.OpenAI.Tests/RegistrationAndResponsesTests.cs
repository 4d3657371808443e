using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Sluice.Protocol;
using Sluice.TestSupport;

namespace Sluice.Providers.OpenAI.Tests;

/// <summary>Registration (key resolution) and the Responses adapter's request and failure paths.</summary>
public sealed class RegistrationAndResponsesTests
{
    [Fact]
    public void AddSluiceOpenAI_NoKeyAnywhere_ThrowsNamingBothSettings()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            OpenAIServiceCollectionExtensions.AddSluiceOpenAI(new ServiceCollection(), new OpenAIProviderOptions(), upstream: null, _ => null));

        Assert.Contains("OPENAI_API_KEY", error.Message, StringComparison.Ordinal);
        Assert.Contains("Sluice:OpenAI:ApiKey", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddSluiceOpenAI_KeyFromEnvironment_Registers()
    {
        var services = OpenAIServiceCollectionExtensions.AddSluiceOpenAIResponses(
            new ServiceCollection(), null, upstream: null, name => name == "OPENAI_API_KEY" ? "sk-env" : null);

        using var provider = services.BuildServiceProvider();
        Assert.Equal("gpt-4o-mini", provider.GetRequiredService<IStreamSource>().DefaultModel);
    }

    [Fact]
    public async Task StreamAsync_CustomBaseUrlWithoutKey_SendsPlaceholder()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await OpenAITestHost.StartAsync(responses: false, ct, apiKey: null);
        host.Provider.Enqueue(FakeProviderResponse.FromFile(RepositoryPaths.Combine("tests", "Fixtures", "transcripts", "openai-chat-text.sse")));

        var events = await host.CollectAsync(OpenAITestHost.Ask("hi"), ct);

        EventChecks.Terminal<DoneEvent>(events);
        Assert.Equal("Bearer " + OpenAIClientFactory.PlaceholderApiKey, Assert.Single(host.Provider.Requests).Headers["Authorization"]);
    }

    [Fact]
    public async Task StreamAsync_ResponsesConversation_SendsInputItemsAndTools()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await OpenAITestHost.StartResponsesAsync(ct);
        host.Provider.Enqueue(FakeProviderResponse.FromFile(RepositoryPaths.Combine("tests", "Fixtures", "transcripts", "openai-responses-text-tool.sse")));
        var request = new StreamRequest(
        [
            new StreamMessage(MessageRole.System, "Be brief."),
            new StreamMessage(MessageRole.User, "Weather?"),
            new StreamMessage(MessageRole.Assistant, string.Empty) { ToolCalls = [new MessageToolCall("call_1", "get_weather", "{}")] },
            new StreamMessage(MessageRole.Tool, "12 °C") { ToolCallId = "call_1" },
        ])
        { Model = "gpt-4.1", MaxTokens = 100, Tools = [new ToolDefinition("get_weather", "Weather")] };

        await host.CollectAsync(request, ct);

        var sent = Assert.Single(host.Provider.Requests);
        Assert.Equal("/v1/responses", sent.Path);
        using var body = JsonDocument.Parse(sent.Body);
        var root = body.RootElement;
        Assert.Equal("gpt-4.1", root.GetProperty("model").GetString());
        Assert.True(root.GetProperty("stream").GetBoolean());
        Assert.Equal(100, root.GetProperty("max_output_tokens").GetInt32());
        var input = root.GetProperty("input").EnumerateArray().ToList();
        Assert.Equal(4, input.Count);
        Assert.Equal("function_call", input[2].GetProperty("type").GetString());
        Assert.Equal("call_1", input[2].GetProperty("call_id").GetString());
        Assert.Equal("function_call_output", input[3].GetProperty("type").GetString());
        Assert.Equal("call_1", input[3].GetProperty("call_id").GetString());
        var tool = Assert.Single(root.GetProperty("tools").EnumerateArray());
        Assert.Equal("function", tool.GetProperty("type").GetString());
        Assert.Equal("get_weather", tool.GetProperty("name").GetString());
    }

    [Fact]
    public async Task StreamAsync_ResponsesRefusal_IsTextAndFinishesContentFilter()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await OpenAITestHost.StartResponsesAsync(ct);
        host.Enqueue(
            "event: response.refusal.delta\ndata: {\"type\":\"response.refusal.delta\",\"sequence_number\":1,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"I can't help.\"}\n\n" +
            "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":2,\"response\":{\"id\":\"r\",\"object\":\"response\",\"created_at\":1,\"status\":\"completed\",\"output\":[],\"model\":\"m\",\"tools\":[],\"parallel_tool_calls\":true,\"tool_choice\":\"auto\",\"metadata\":{},\"usage\":{\"input_tokens\":3,\"output_tokens\":4,\"total_tokens\":7,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens_details\":{\"reasoning_tokens\":0}}}}\n\n");

        var events = await host.CollectAsync(OpenAITestHost.Ask("hi"), ct);

        Assert.Equal("I can't help.", string.Concat(events.OfType<TokenEvent>().Select(t => t.Content)));
        Assert.Equal(FinishReason.ContentFilter, EventChecks.Terminal<DoneEvent>(events).FinishReason);
    }

    [Theory]
    [InlineData("event: response.failed\ndata: {\"type\":\"response.failed\",\"sequence_number\":1,\"response\":{\"id\":\"r\",\"object\":\"response\",\"created_at\":1,\"status\":\"failed\",\"error\":{\"code\":\"server_error\",\"message\":\"boom\"},\"output\":[],\"model\":\"m\",\"tools\":[],\"parallel_tool_calls\":true,\"tool_choice\":\"auto\",\"metadata\":{}}}\n\n", "server_error")]
    [InlineData("event: error\ndata: {\"type\":\"error\",\"sequence_number\":1,\"code\":\"rate_limit_exceeded\",\"message\":\"slow down\",\"param\":null}\n\n", "rate_limit_exceeded")]
    [InlineData("event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"sequence_number\":1,\"item_id\":\"m\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi\",\"logprobs\":[]}\n\n", "upstream_truncated")]
    public async Task StreamAsync_ResponsesFailure_EndsWithError(string sse, string code)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await OpenAITestHost.StartResponsesAsync(ct);
        host.Enqueue(sse);

        var events = await host.CollectAsync(OpenAITestHost.Ask("hi"), ct);

        Assert.Equal(code, EventChecks.Terminal<ErrorEvent>(events).Code);
    }
}
