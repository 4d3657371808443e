using System.Text.Json;
using Sluice.Protocol;
using Sluice.TestSupport;

namespace Sluice.Providers.Anthropic.Tests;

public sealed class TranscriptReplayTests
{
    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var name in new[]
        {
            "anthropic-text-markdown", "anthropic-tool-use", "anthropic-overloaded-midstream",
            "anthropic-tool-use-max-tokens", "anthropic-refusal", "anthropic-http-429-rate-limited", "anthropic-http-529-overloaded",
        })
        {
            // Whole, then in 1–7 byte chunks that cut UTF-8 characters and SSE lines anywhere.
            data.Add(name, 0, 0);
            foreach (var seed in new[] { 1, 2, 3, 42, 1234 })
            {
                data.Add(name, 7, seed);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task StreamAsync_RecordedTranscript_MatchesExpected(string name, int maxChunk, int seed)
    {
        var ct = TestContext.Current.CancellationToken;
        using var document = JsonDocument.Parse(await File.ReadAllTextAsync(AnthropicHarness.Transcript(name + ".expected.json"), ct));
        await using var fake = await FakeProvider.StartAsync(ct);
        fake.Enqueue(RecordedResponse(document.RootElement) with { MaxChunk = maxChunk, ChunkSeed = seed });
        var source = AnthropicHarness.CreateSource(fake);

        var events = await AnthropicHarness.CollectAsync(source, AnthropicHarness.Hello(), ct);

        // The SDK's own retries are off: a retryable status reaches the caller after exactly one request.
        Assert.Single(fake.Requests);
        var expected = document.RootElement.GetProperty("expected");
        Assert.Equal(expected.GetProperty("text").GetString(), string.Concat(events.OfType<TokenEvent>().Select(e => e.Content)));
        Assert.DoesNotContain(events.OfType<TokenEvent>(), e => e.Content.Length == 0);
        Assert.Equal(expected.GetProperty("reasoning").GetString() ?? string.Empty, string.Concat(events.OfType<ReasoningEvent>().Select(e => e.Content)));
        AssertToolCalls(expected.GetProperty("toolCalls"), events);

        var terminal = Assert.Single(events, e => e is DoneEvent or ErrorEvent);
        Assert.Same(terminal, events[^1]);
        if (expected.GetProperty("terminal").GetString() == "done")
        {
            var done = Assert.IsType<DoneEvent>(terminal);
            Assert.Equal(new FinishReason(expected.GetProperty("normalizedFinishReason").GetString()!), done.FinishReason);
            var usage = expected.GetProperty("usage");
            Assert.Equal(new Usage(usage.GetProperty("inputTokens").GetInt64(), usage.GetProperty("outputTokens").GetInt64()), done.Usage);
        }
        else
        {
            var error = Assert.IsType<ErrorEvent>(terminal);
            var expectedError = expected.GetProperty("error");
            Assert.Equal(expectedError.GetProperty("retryable").GetBoolean(), error.Retryable);
            Assert.DoesNotContain(AnthropicHarness.ApiKey, error.Message, StringComparison.Ordinal);
            if (expectedError.TryGetProperty("code", out var code))
            {
                // An HTTP error status: Sluice's own code and message; the provider's type and message are for reference.
                Assert.Equal(code.GetString(), error.Code);
            }
            else
            {
                // An error inside the stream: the provider's type is the code, its message is passed on.
                Assert.Equal(expectedError.GetProperty("type").GetString(), error.Code);
                Assert.Equal(expectedError.GetProperty("message").GetString(), error.Message);
            }

            Assert.Equal(
                expectedError.TryGetProperty("retryAfterSeconds", out var retryAfter) ? TimeSpan.FromSeconds(retryAfter.GetDouble()) : null,
                error.RetryAfter);
        }
    }

    /// <summary>The recorded response: its status, headers and body file (<c>transcript</c>) as the expected file gives them.</summary>
    private static FakeProviderResponse RecordedResponse(JsonElement recording)
    {
        var response = recording.GetProperty("http").GetProperty("response");
        var headers = response.GetProperty("headers").EnumerateObject().ToDictionary(h => h.Name, h => h.Value.GetString()!, StringComparer.OrdinalIgnoreCase);
        headers.Remove("content-type", out var contentType);
        return FakeProviderResponse.FromFile(AnthropicHarness.Transcript(recording.GetProperty("transcript").GetString()!)) with
        {
            Status = response.GetProperty("status").GetInt32(),
            ContentType = contentType ?? "text/event-stream",
            Headers = headers,
        };
    }

    private static void AssertToolCalls(JsonElement expectedCalls, List<StreamEvent> events)
    {
        var starts = events.OfType<ToolCallStartEvent>().ToList();
        var ends = events.OfType<ToolCallEndEvent>().ToList();
        Assert.Equal(expectedCalls.GetArrayLength(), starts.Count);
        Assert.Equal(starts.Count, ends.Count);
        var position = 0;
        foreach (var call in expectedCalls.EnumerateArray())
        {
            var id = call.GetProperty("id").GetString()!;
            var raw = call.GetProperty("argumentsRaw").GetString()!;
            Assert.Equal(id, starts[position].Id);
            Assert.Equal(call.GetProperty("name").GetString(), starts[position].Name);
            Assert.Equal(position, starts[position].Index);

            var deltas = events.OfType<ToolCallDeltaEvent>().Where(d => d.Id == id).ToList();
            Assert.DoesNotContain(deltas, d => d.Delta.Length == 0);
            Assert.Equal(raw, string.Concat(deltas.Select(d => d.Delta)));

            var end = Assert.Single(ends, e => e.Id == id);
            if (call.TryGetProperty("complete", out var complete) && !complete.GetBoolean())
            {
                // Cut by max_tokens: the provider still closed the block, so the call ends with exactly the text that
                // arrived, unrepaired. Whether it is valid is the gateway's verdict (OutputValidator), not the adapter's.
                Assert.Equal(raw, end.Arguments);
                Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(end.Arguments));
            }
            else
            {
                Assert.Equal(raw.Length == 0 ? "{}" : raw, end.Arguments);
                Assert.True(end.Valid);
                Assert.True(JsonElement.DeepEquals(call.GetProperty("argumentsParsed"), JsonDocument.Parse(end.Arguments).RootElement));
            }

            // Every delta of a call comes after its start and before its end.
            var startAt = events.IndexOf(starts[position]);
            var endAt = events.IndexOf(end);
            Assert.All(deltas, d => Assert.InRange(events.IndexOf(d), startAt + 1, endAt - 1));
            position++;
        }
    }
}
