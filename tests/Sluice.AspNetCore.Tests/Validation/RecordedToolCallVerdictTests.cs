using System.Text.Json;
using Sluice.AspNetCore.Validation;
using Sluice.Protocol;
using Sluice.TestSupport;

namespace Sluice.AspNetCore.Tests.Validation;

/// <summary>
/// The recorded tool calls (tests/Fixtures/transcripts), fragment by fragment as the providers sent them and judged
/// against the schemas of the recorded requests, end with exactly the recorded arguments and <c>valid: true</c>.
/// </summary>
public sealed class RecordedToolCallVerdictTests
{
    public static TheoryData<string> Transcripts => new() { "anthropic-tool-use", "openai-chat-tools", "openai-responses-text-tool" };

    [Theory]
    [MemberData(nameof(Transcripts))]
    public async Task Process_RecordedToolCalls_EndValidWithTheRecordedArguments(string transcript)
    {
        using var expected = JsonDocument.Parse(await File.ReadAllTextAsync(RecordedTranscripts.Path(transcript + ".expected.json"), TestContext.Current.CancellationToken));
        var validator = new OutputValidator(
            new StreamRequest([new StreamMessage(MessageRole.User, "recorded")]) { Tools = RecordedTools(expected.RootElement) },
            TimeProvider.System,
            partialInterval: TimeSpan.FromMilliseconds(1));
        var calls = expected.RootElement.GetProperty("expected").GetProperty("toolCalls").EnumerateArray().ToArray();
        var fragments = await RecordedTranscripts.ReadArgumentFragmentsAsync(transcript, TestContext.Current.CancellationToken);

        foreach (var (call, index) in calls.Select((c, i) => (c, i)))
        {
            var id = call.GetProperty("id").GetString()!;
            var raw = call.GetProperty("argumentsRaw").GetString()!;
            validator.Process(new ToolCallStartEvent(id, call.GetProperty("name").GetString()!, index));
            foreach (var fragment in fragments[index])
            {
                Assert.IsType<ToolCallDeltaEvent>(validator.Process(new ToolCallDeltaEvent(id, fragment)));
            }

            var end = Assert.IsType<ToolCallEndEvent>(validator.Process(new ToolCallEndEvent(id, raw, Valid: true)));

            Assert.True(end.Valid, string.Join("; ", end.Errors ?? []));
            Assert.Equal(raw.Length == 0 ? "{}" : raw, end.Arguments);
            Assert.Equal(call.GetProperty("argumentsParsed").GetRawText(), JsonSerializer.Serialize(JsonElement.Parse(end.Arguments)), JsonElementTextComparer.Instance);
        }
    }

    private static ToolDefinition[] RecordedTools(JsonElement expected) =>
    [
        .. expected.GetProperty("http").GetProperty("request").GetProperty("body").GetProperty("tools").EnumerateArray().Select(tool =>
        {
            // Anthropic: {name, input_schema}; Chat Completions: {function: {name, parameters}}; Responses: {name, parameters}.
            var function = tool.TryGetProperty("function", out var f) ? f : tool;
            var schema = function.TryGetProperty("input_schema", out var input) ? input : function.GetProperty("parameters");
            return new ToolDefinition(function.GetProperty("name").GetString()!, null, schema.Clone());
        }),
    ];

    /// <summary>Compares two JSON texts by value.</summary>
    private sealed class JsonElementTextComparer : IEqualityComparer<string>
    {
        public static readonly JsonElementTextComparer Instance = new();

        public bool Equals(string? x, string? y) => JsonElement.DeepEquals(JsonElement.Parse(x!), JsonElement.Parse(y!));

        public int GetHashCode(string obj) => 0;
    }
}
