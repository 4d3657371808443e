using System.Text;
using Sluice.Protocol;
using Sluice.TestSupport;

namespace Sluice.Providers.Anthropic.Tests;

public sealed class StreamMappingTests
{
    private const string Start = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}\n\n";
    private const string Stop = "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    private static string StopReason(string reason) =>
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"" + reason + "\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":4}}\n\n";

    private static async Task<List<StreamEvent>> RunAsync(string body)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var fake = await FakeProvider.StartAsync(ct);
        fake.Enqueue(new FakeProviderResponse { Body = Encoding.UTF8.GetBytes(body) });
        return await AnthropicHarness.CollectAsync(AnthropicHarness.CreateSource(fake), AnthropicHarness.Hello(), ct);
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("refusal", "content_filter")]
    [InlineData("pause_turn", "pause_turn")]
    public async Task StreamAsync_StopReason_MapsToFinishReason(string stopReason, string finishReason)
    {
        var events = await RunAsync(Start + StopReason(stopReason) + Stop);

        Assert.Equal(new DoneEvent(new FinishReason(finishReason), new Usage(3, 4)), Assert.Single(events));
    }

    [Fact]
    public async Task StreamAsync_ThinkingAndServerToolBlocks_ReasoningKeptServerToolSkipped()
    {
        var events = await RunAsync(
            Start +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"thinking\",\"thinking\":\"\",\"signature\":\"\"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"Let me \"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"thinking_delta\",\"thinking\":\"search.\"}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"signature_delta\",\"signature\":\"sig\"}}\n\n" +
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"server_tool_use\",\"id\":\"srvtoolu_1\",\"name\":\"web_search\",\"input\":{}}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"query\\\": \\\"x\\\"}\"}}\n\n" +
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":1}\n\n" +
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":2,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_7\",\"name\":\"lookup\",\"input\":{}}}\n\n" +
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":2,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":1}\"}}\n\n" +
            "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":2}\n\n" +
            StopReason("tool_use") + Stop);

        Assert.Equal("Let me search.", string.Concat(events.OfType<ReasoningEvent>().Select(e => e.Content)));
        Assert.Equal(new ToolCallStartEvent("toolu_7", "lookup", 0), Assert.Single(events.OfType<ToolCallStartEvent>()));
        Assert.Equal("{\"a\":1}", Assert.Single(events.OfType<ToolCallDeltaEvent>()).Delta);
        Assert.Equal(new ToolCallEndEvent("toolu_7", "{\"a\":1}", Valid: true), Assert.Single(events.OfType<ToolCallEndEvent>()));
        Assert.Equal(new DoneEvent(FinishReason.ToolCalls, new Usage(3, 4)), events[^1]);
    }
}
