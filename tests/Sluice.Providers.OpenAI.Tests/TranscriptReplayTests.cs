using System.Text.Json;
using Sluice.Protocol;
using Sluice.TestSupport;

namespace Sluice.Providers.OpenAI.Tests;

/// <summary>Each recorded OpenAI stream, served whole and in random 1–7 byte chunks, through the real SDK.</summary>
public sealed class TranscriptReplayTests
{
    public static TheoryData<string, int, int> Replays()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var name in new[] { "openai-chat-text", "openai-chat-tools", "openai-responses-text-tool" })
        {
            data.Add(name, 0, 0);
            foreach (var seed in new[] { 1, 2, 3, 42, 1234 })
            {
                data.Add(name, 7, seed);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Replays))]
    public async Task StreamAsync_RecordedTranscript_MatchesExpected(string name, int maxChunk, int seed)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = await OpenAITestHost.StartAsync(responses: name.Contains("responses", StringComparison.Ordinal), ct);
        var path = RepositoryPaths.Combine("tests", "Fixtures", "transcripts", name + ".sse");
        host.Provider.Enqueue(FakeProviderResponse.FromFile(path) with { MaxChunk = maxChunk, ChunkSeed = seed });

        var events = await host.CollectAsync(OpenAITestHost.Ask("replay"), ct);

        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(Path.ChangeExtension(path, ".expected.json"), ct));
        var expected = document.RootElement.GetProperty("expected");
        Assert.Equal(JsonValueKind.Null, expected.GetProperty("error").ValueKind);
        Assert.Equal(expected.GetProperty("text").GetString(), EventChecks.Text(events));
        Assert.Equal(expected.GetProperty("reasoning").GetString() ?? string.Empty, EventChecks.Reasoning(events));

        var expectedCalls = expected.GetProperty("toolCalls").EnumerateArray()
            .Select(c => (c.GetProperty("id").GetString()!, c.GetProperty("name").GetString()!, c.GetProperty("argumentsRaw").GetString()!))
            .ToList();
        var calls = EventChecks.ToolCalls(events);
        Assert.Equal(expectedCalls, calls.Select(c => (c.Id, c.Name, c.Deltas)).ToList());
        Assert.Equal(expectedCalls.Select(c => c.Item3), calls.Select(c => c.EndArguments));
        Assert.Equal(Enumerable.Range(0, expectedCalls.Count), events.OfType<ToolCallStartEvent>().Select(s => s.Index));

        var done = EventChecks.Terminal<DoneEvent>(events);
        Assert.Equal(new FinishReason(expected.GetProperty("normalizedFinishReason").GetString()!), done.FinishReason);
        var usage = expected.GetProperty("usage");
        Assert.Equal(new Usage(usage.GetProperty("inputTokens").GetInt64(), usage.GetProperty("outputTokens").GetInt64()), done.Usage);
    }
}
