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
        foreach (var name in new[]
        {
            "openai-chat-text", "openai-chat-tools", "openai-responses-text-tool",
            "openai-chat-text-crlf", "openai-chat-error-midstream", "openai-responses-failed-midstream", "openai-responses-incomplete-max-output-tokens",
        })
        {
            data.Add(name, 0, 0);
            foreach (var seed in new[] { 1, 2, 3, 42, 1234 })
            {
                data.Add(name, 7, seed);
            }
        }

        // One byte per write (each flushed): every CR reaches the client apart from the LF that follows it.
        data.Add("openai-chat-text-crlf", 1, 0);
        return data;
    }

    [Theory]
    [MemberData(nameof(Replays))]
    public async Task StreamAsync_RecordedTranscript_MatchesExpected(string name, int maxChunk, int seed)
    {
        var ct = TestContext.Current.CancellationToken;
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(RecordedTranscripts.Path(name + ".expected.json"), ct));
        var recording = document.RootElement;
        await using var host = await OpenAITestHost.StartAsync(responses: name.Contains("responses", StringComparison.Ordinal), ct);
        host.Provider.Enqueue(RecordedResponse(recording) with { MaxChunk = maxChunk, ChunkSeed = seed });

        var events = await host.CollectAsync(OpenAITestHost.Ask("replay"), ct);

        var expected = recording.GetProperty("expected");
        Assert.Equal(expected.GetProperty("text").GetString(), EventChecks.Text(events));
        Assert.DoesNotContain(events.OfType<TokenEvent>(), e => e.Content.Length == 0);
        Assert.Equal(expected.GetProperty("reasoning").GetString() ?? string.Empty, EventChecks.Reasoning(events));

        var expectedCalls = expected.GetProperty("toolCalls").EnumerateArray()
            .Select(c => (c.GetProperty("id").GetString()!, c.GetProperty("name").GetString()!, c.GetProperty("argumentsRaw").GetString()!))
            .ToList();
        var calls = EventChecks.ToolCalls(events);
        Assert.Equal(expectedCalls, calls.Select(c => (c.Id, c.Name, c.Deltas)).ToList());
        Assert.Equal(expectedCalls.Select(c => c.Item3), calls.Select(c => c.EndArguments));
        Assert.Equal(Enumerable.Range(0, expectedCalls.Count), events.OfType<ToolCallStartEvent>().Select(s => s.Index));

        if (expected.GetProperty("terminal").GetString() == "done")
        {
            Assert.Equal(JsonValueKind.Null, expected.GetProperty("error").ValueKind);
            var done = EventChecks.Terminal<DoneEvent>(events);
            Assert.Equal(new FinishReason(expected.GetProperty("normalizedFinishReason").GetString()!), done.FinishReason);
            var usage = expected.GetProperty("usage");
            Assert.Equal(new Usage(usage.GetProperty("inputTokens").GetInt64(), usage.GetProperty("outputTokens").GetInt64()), done.Usage);
        }
        else
        {
            // An error the provider sent inside its stream: its type is the code and its message is passed on.
            var error = EventChecks.Terminal<ErrorEvent>(events);
            var expectedError = expected.GetProperty("error");
            Assert.Equal(expectedError.GetProperty("type").GetString(), error.Code);
            Assert.Equal(expectedError.GetProperty("message").GetString(), error.Message);
            Assert.Equal(expectedError.GetProperty("retryable").GetBoolean(), error.Retryable);
            Assert.Null(error.RetryAfter);
        }
    }

    [Fact]
    public async Task CrlfTranscript_EndsEveryLineWithCrLf()
    {
        var body = await File.ReadAllBytesAsync(RecordedTranscripts.Path("openai-chat-text-crlf.sse"), TestContext.Current.CancellationToken);

        // The replay above proves nothing about CRLF unless the file really has it everywhere.
        var lineFeeds = body.Index().Where(b => b.Item == (byte)'\n').Select(b => b.Index).ToList();
        Assert.NotEmpty(lineFeeds);
        Assert.All(lineFeeds, at => Assert.Equal((byte)'\r', body[at - 1]));
        Assert.Equal(lineFeeds.Count, body.Count(b => b == (byte)'\r'));
        Assert.EndsWith("data: [DONE]\r\n\r\n", System.Text.Encoding.UTF8.GetString(body), StringComparison.Ordinal);
    }

    /// <summary>The recorded response: its status, headers and body file (<c>transcript</c>) as the expected file gives them.</summary>
    private static FakeProviderResponse RecordedResponse(JsonElement recording)
    {
        var response = recording.GetProperty("http").GetProperty("response");
        var headers = response.GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString()!, StringComparer.OrdinalIgnoreCase);
        headers.Remove("content-type", out var contentType);
        return FakeProviderResponse.FromFile(RecordedTranscripts.Path(recording.GetProperty("transcript").GetString()!)) with
        {
            Status = response.GetProperty("status").GetInt32(),
            ContentType = contentType ?? "text/event-stream",
            Headers = headers,
        };
    }
}
