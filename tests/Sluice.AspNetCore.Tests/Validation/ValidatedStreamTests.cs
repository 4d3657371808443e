using System.Text.Json;
using Sluice.Protocol;

namespace Sluice.AspNetCore.Tests.Validation;

/// <summary>Tool calls and structured output through the gateway: every verdict is in the stream, and in /result.</summary>
public sealed class ValidatedStreamTests
{
    private const string Body = """
        {"messages":[{"role":"user","content":"Weather?"}],
         "tools":[{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]}
        """;

    private const string StructuredBody = """
        {"messages":[{"role":"user","content":"A city"}],
         "responseFormat":{"type":"json_schema","schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Post_ToolCallViolatingItsSchema_EndsWithValidFalseAndTheReason()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source);
        source.Release(new ToolCallStartEvent("c1", "get_weather", 0));
        source.Release(new ToolCallDeltaEvent("c1", "{\"town\":"));
        source.Release(new ToolCallDeltaEvent("c1", "\"Paris\"}"));
        source.Release(new ToolCallEndEvent("c1", "{\"town\":\"Paris\"}", Valid: true));
        source.Release(new DoneEvent(FinishReason.ToolCalls, Usage.Zero));

        using var response = await gateway.Client.SendStreamingAsync(SseClient.Post(Body));
        var events = await response.ReadAllEventsAsync();

        var end = Assert.Single(events.Select(e => e.Event).OfType<ToolCallEndEvent>());
        Assert.Equal(("c1", "{\"town\":\"Paris\"}", false), (end.Id, end.Arguments, end.Valid));
        Assert.Contains(end.Errors!, e => e.Contains("city", StringComparison.Ordinal));
        Assert.IsType<DoneEvent>(events[^1].Event);
    }

    [Fact]
    public async Task Post_ProviderFailsInsideArguments_ClosesTheCallBeforeTheError()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source);
        source.Release(new ToolCallStartEvent("c1", "get_weather", 0));
        source.Release(new ToolCallDeltaEvent("c1", "{\"city\":\"Pa"));
        source.Fail(new HttpRequestException("reset"));

        using var response = await gateway.Client.SendStreamingAsync(SseClient.Post(Body));
        var events = await response.ReadAllEventsAsync();

        var end = Assert.IsType<ToolCallEndEvent>(events[^2].Event);
        Assert.False(end.Valid);
        Assert.StartsWith("Truncated", Assert.Single(end.Errors!), StringComparison.Ordinal);
        Assert.IsType<ErrorEvent>(events[^1].Event);
    }

    [Fact]
    public async Task Post_StructuredOutput_StreamsFragmentsThenOneFinalValidatedObject()
    {
        var source = new ScriptedStreamSource();
        await using var gateway = await TestGateway.StartAsync(source);
        source.Release(new ObjectEvent("{\"ci"));
        source.Release(new ObjectEvent("ty\":\"Oslo\"}"));
        source.Release(new DoneEvent(FinishReason.Stop, Usage.Zero));

        using var response = await gateway.Client.SendStreamingAsync(SseClient.Post(StructuredBody));
        var events = await response.ReadAllEventsAsync();
        var request = await source.Requested;

        Assert.Equal("object", request.ResponseFormat!.Schema.GetProperty("type").GetString());
        var objects = events.Select(e => e.Event).OfType<ObjectEvent>().ToArray();
        Assert.Equal(["{\"ci", "ty\":\"Oslo\"}", ""], objects.Select(o => o.Delta));
        var final = objects[^1];
        Assert.True(final.IsFinal);
        Assert.True(final.Valid);
        Assert.Equal("{\"city\":\"Oslo\"}", final.Value!.Value.GetRawText());
        Assert.IsType<DoneEvent>(events[^1].Event);

        using var resultResponse = await gateway.Client.SendAsync(SseClient.OnStream(HttpMethod.Get, response, "/result"), Ct);
        using var result = JsonDocument.Parse(await resultResponse.EnsureSuccessStatusCode().Content.ReadAsStringAsync(Ct));
        var structured = result.RootElement.GetProperty("object");
        Assert.Equal("{\"city\":\"Oslo\"}", structured.GetProperty("text").GetString());
        Assert.True(structured.GetProperty("valid").GetBoolean());
        Assert.Equal("Oslo", structured.GetProperty("value").GetProperty("city").GetString());
    }

    [Fact]
    public async Task Post_PartialValuesConfigured_FirstFragmentCarriesThePartialValue()
    {
        var source = new ScriptedStreamSource();
        var options = SluiceOptions.Default with { Runs = RunOptions.Default with { PartialValueInterval = TimeSpan.FromHours(1) } };
        await using var gateway = await TestGateway.StartAsync(source, options);
        source.Release(new ToolCallStartEvent("c1", "get_weather", 0));
        source.Release(new ToolCallDeltaEvent("c1", "{\"city\":\"Pa"));
        source.Release(new ToolCallDeltaEvent("c1", "ris\"}"));
        source.Release(new ToolCallEndEvent("c1", "{\"city\":\"Paris\"}", Valid: true));
        source.Release(new DoneEvent(FinishReason.ToolCalls, Usage.Zero));

        using var response = await gateway.Client.SendStreamingAsync(SseClient.Post(Body));
        var deltas = (await response.ReadAllEventsAsync()).Select(e => e.Event).OfType<ToolCallDeltaEvent>().ToArray();

        Assert.Equal("{\"city\":\"Pa\"}", deltas[0].Partial!.Value.GetRawText());
        Assert.Null(deltas[1].Partial);
    }
}
