using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Microsoft.ML.Tokenizers;
using Sluice.Protocol;

namespace Sluice.Providers.Simulated.Tests;

public sealed class SimulatedStreamSourceTests
{
    private const string WeatherSchema = """
        {
          "type": "object",
          "properties": {
            "city": { "type": "string" },
            "unit": { "type": "string", "enum": ["celsius", "fahrenheit"] }
          },
          "required": ["city", "unit"]
        }
        """;

    // An independent tokenizer instance, so usage is checked against the library rather than against our wrapper.
    private static readonly TiktokenTokenizer Tokenizer = TiktokenTokenizer.CreateForModel("gpt-4o");

    private static readonly SimulatedOptions Paced = new() { TokensPerSecond = 10, FirstTokenDelayMs = 500, Jitter = 0.3, Seed = 7 };

    [Fact]
    public void DefaultModel_ReturnsOptionsModel()
    {
        var source = new SimulatedStreamSource(new SimulatedOptions { Model = "my-sim" }, TimeProvider.System);

        Assert.Equal("my-sim", source.DefaultModel);
    }

    [Fact]
    public async Task StreamAsync_SamePrompt_YieldsSameTokens()
    {
        var source = new SimulatedStreamSource(TestStreams.Instant, new ThrowingTimeProvider());

        var first = await TestStreams.CollectAsync(source, TestStreams.Ask("How do I retry HTTP calls?"));
        var second = await TestStreams.CollectAsync(source, TestStreams.Ask("How do I retry HTTP calls?"));

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task StreamAsync_EchoDirective_StreamsTheTextVerbatim()
    {
        var source = new SimulatedStreamSource(TestStreams.Instant, new ThrowingTimeProvider());
        const string Text = "Hi <script>alert(1)</script> and `code`\n\n```js\nx()\n```";

        var events = await TestStreams.CollectAsync(source, TestStreams.Ask("/echo " + Text));

        Assert.Equal(Text, string.Concat(events.OfType<TokenEvent>().Select(t => t.Content)));
        Assert.True(events.OfType<TokenEvent>().Count() > 1);
        Assert.IsType<DoneEvent>(events[^1]);
    }

    [Fact]
    public async Task StreamAsync_AnswerDirective_StreamsTheNamedAnswer()
    {
        var source = new SimulatedStreamSource(TestStreams.Instant, new ThrowingTimeProvider());

        var events = await TestStreams.CollectAsync(source, TestStreams.Ask("/answer python-retry"));

        Assert.Equal(AnswerLibrary.Find("python-retry")!.Text, string.Concat(events.OfType<TokenEvent>().Select(t => t.Content)));
    }

    [Fact]
    public async Task StreamAsync_DifferentPrompts_CanPickDifferentAnswers()
    {
        var source = new SimulatedStreamSource(TestStreams.Instant, new ThrowingTimeProvider());
        var texts = new HashSet<string>();

        for (var i = 0; i < 20; i++)
        {
            texts.Add(Text(await TestStreams.CollectAsync(source, TestStreams.Ask($"Question number {i}"))));
        }

        Assert.True(texts.Count > 1, "Twenty prompts all got the same answer.");
    }

    [Fact]
    public async Task StreamAsync_EveryAnswer_ConcatenatesToExactText()
    {
        var source = new SimulatedStreamSource(TestStreams.Instant, new ThrowingTimeProvider());

        foreach (var (answer, prompt) in TestStreams.PromptPerAnswer())
        {
            var events = await TestStreams.CollectAsync(source, TestStreams.Ask(prompt));

            Assert.Equal(answer.Text, Text(events));
        }
    }

    [Fact]
    public async Task StreamAsync_EveryAnswer_TokensAreValidUtf16()
    {
        var source = new SimulatedStreamSource(TestStreams.Instant, new ThrowingTimeProvider());
        var sawMultiByte = false;

        foreach (var prompt in TestStreams.PromptPerAnswer().Values)
        {
            foreach (var token in Tokens(await TestStreams.CollectAsync(source, TestStreams.Ask(prompt))))
            {
                Assert.True(TestStreams.IsValidUtf16(token), $"Token {token} has an unpaired surrogate.");
                sawMultiByte |= token.Any(c => c > 0x7F);
            }
        }

        Assert.True(sawMultiByte, "No answer streamed a multi-byte character.");
    }

    [Fact]
    public async Task StreamAsync_ConcurrentRequests_AllGetSameStream()
    {
        // Thread-pool callers hit the shared tokenizer and answer cache at once, as a singleton source is in the gateway.
        var source = new SimulatedStreamSource(TestStreams.Instant, new ThrowingTimeProvider());
        var request = TestStreams.Ask("Concurrent question");

        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => TestStreams.CollectAsync(source, request))));

        Assert.All(results, events => Assert.Equal(results[0], events));
    }

    [Fact]
    public async Task StreamAsync_Answer_SplitsInsideWords()
    {
        var source = new SimulatedStreamSource(TestStreams.Instant, new ThrowingTimeProvider());
        var tokens = Tokens(await TestStreams.CollectAsync(source, TestStreams.Ask("Explain something to me")));

        var insideWord = tokens.Zip(tokens.Skip(1)).Count(pair =>
            pair.First.Length > 0 && char.IsLetter(pair.First[^1]) &&
            pair.Second.Length > 0 && char.IsLetter(pair.Second[0]));

        Assert.True(insideWord > 0, "Every token boundary fell at a space or punctuation.");
    }

    [Fact]
    public async Task StreamAsync_Answer_EndsWithDoneStopAndTokenizerUsage()
    {
        var source = new SimulatedStreamSource(TestStreams.Instant, new ThrowingTimeProvider());
        var request = TestStreams.Ask("What is a good deployment checklist?");

        var events = await TestStreams.CollectAsync(source, request);

        var done = Assert.IsType<DoneEvent>(events[^1]);
        Assert.Equal(FinishReason.Stop, done.FinishReason);
        Assert.Equal(Tokenizer.CountTokens(Text(events)), done.Usage.OutputTokens);
        Assert.True(done.Usage.InputTokens > 0);
        Assert.Equal(request.Messages.Sum(m => Tokenizer.CountTokens(m.Content)), done.Usage.InputTokens);
        Assert.Single(events, e => e.IsTerminal);
    }

    [Fact(Timeout = 30_000)]
    public async Task StreamAsync_BeforeFirstTokenDelay_ProducesNothing()
    {
        var time = new FakeTimeProvider();
        var source = new SimulatedStreamSource(Paced, time);
        await using var events = source.StreamAsync(TestStreams.Ask("Hello"), TestContext.Current.CancellationToken)
            .GetAsyncEnumerator(TestContext.Current.CancellationToken);

        var first = events.MoveNextAsync();
        Assert.False(first.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(first.IsCompleted);

        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(await first);
        Assert.IsType<TokenEvent>(events.Current);
    }

    [Fact(Timeout = 30_000)]
    public async Task StreamAsync_AfterFirstToken_NextTokenWaitsOneJitteredInterval()
    {
        var time = new FakeTimeProvider();
        var source = new SimulatedStreamSource(Paced, time);
        var prompt = "Hello";
        Assert.Equal(1, AnswerLibrary.Pick(PromptHash.Compute(prompt)).Pieces[1].TokenCount);
        await using var events = source.StreamAsync(TestStreams.Ask(prompt), TestContext.Current.CancellationToken)
            .GetAsyncEnumerator(TestContext.Current.CancellationToken);
        var first = events.MoveNextAsync();
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(await first);

        // 1/TPS = 100 ms, scaled by a factor in [0.7, 1.3).
        var second = events.MoveNextAsync();
        time.Advance(TimeSpan.FromMilliseconds(69));
        Assert.False(second.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(61));
        Assert.True(await second);
        Assert.IsType<TokenEvent>(events.Current);
    }

    [Fact]
    public async Task StreamAsync_ZeroTokensPerSecond_CompletesWithoutTimer()
    {
        var source = new SimulatedStreamSource(TestStreams.Instant with { FirstTokenDelayMs = 1000 }, new ThrowingTimeProvider());

        var events = await TestStreams.CollectAsync(source, TestStreams.Ask("Anything at all"));

        Assert.IsType<DoneEvent>(events[^1]);
        Assert.True(events.Count > 10);
    }

    [Fact(Timeout = 30_000)]
    public async Task StreamAsync_CancelledWhileWaitingForNextToken_ThrowsOperationCanceled()
    {
        var time = new FakeTimeProvider();
        var source = new SimulatedStreamSource(Paced, time);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        await using var events = source.StreamAsync(TestStreams.Ask("Hello"), cts.Token).GetAsyncEnumerator(cts.Token);
        var first = events.MoveNextAsync();
        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.True(await first);

        var second = events.MoveNextAsync();
        Assert.False(second.IsCompleted);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await second);
    }

    [Fact]
    public async Task StreamAsync_AlreadyCancelled_ThrowsOperationCanceled()
    {
        var source = new SimulatedStreamSource(TestStreams.Instant, new ThrowingTimeProvider());
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var unused in source.StreamAsync(TestStreams.Ask("Hello"), cts.Token))
            {
            }
        });
    }

    [Fact]
    public async Task StreamAsync_PromptNamesOfferedTool_StreamsToolCall()
    {
        var source = new SimulatedStreamSource(TestStreams.Instant, new ThrowingTimeProvider());
        var tool = new ToolDefinition("get_weather", "Current weather", JsonDocument.Parse(WeatherSchema).RootElement);

        var events = await TestStreams.CollectAsync(source, TestStreams.Ask("What is the get_weather for Paris?", tool));

        var start = Assert.IsType<ToolCallStartEvent>(events[0]);
        Assert.Equal("get_weather", start.Name);
        Assert.Equal(0, start.Index);
        Assert.StartsWith("call_", start.Id, StringComparison.Ordinal);
        var deltas = events.Skip(1).TakeWhile(e => e is ToolCallDeltaEvent).Cast<ToolCallDeltaEvent>().ToList();
        Assert.True(deltas.Count >= 3, $"Only {deltas.Count} deltas.");
        Assert.All(deltas, d => Assert.Equal(start.Id, d.Id));
        Assert.All(deltas, d => Assert.InRange(d.Delta.Length, 1, 20));
        var end = Assert.IsType<ToolCallEndEvent>(events[deltas.Count + 1]);
        Assert.Equal(start.Id, end.Id);
        Assert.True(end.Valid);
        Assert.Equal(end.Arguments, string.Concat(deltas.Select(d => d.Delta)));
        using var arguments = JsonDocument.Parse(end.Arguments);
        Assert.Equal("Paris", arguments.RootElement.GetProperty("city").GetString());
        Assert.Contains(arguments.RootElement.GetProperty("unit").GetString(), new[] { "celsius", "fahrenheit" });
        var done = Assert.IsType<DoneEvent>(Assert.Single(events, e => e.IsTerminal));
        Assert.Same(done, events[^1]);
        Assert.Equal(FinishReason.ToolCalls, done.FinishReason);
        Assert.Equal(Tokenizer.CountTokens(end.Arguments), done.Usage.OutputTokens);
    }

    [Fact]
    public async Task StreamAsync_ResponseFormat_StreamsAValueOfTheSchemaAsObjectFragments()
    {
        var source = new SimulatedStreamSource(TestStreams.Instant, new ThrowingTimeProvider());
        var request = TestStreams.Ask("Weather as JSON") with { ResponseFormat = new ResponseFormat(JsonDocument.Parse(WeatherSchema).RootElement) };

        var events = await TestStreams.CollectAsync(source, request);

        var fragments = events.OfType<ObjectEvent>().ToList();
        Assert.True(fragments.Count >= 3, $"Only {fragments.Count} fragments.");
        Assert.All(fragments, f => Assert.False(f.IsFinal));
        Assert.Equal(events.Count - 1, fragments.Count);
        using var value = JsonDocument.Parse(string.Concat(fragments.Select(f => f.Delta)));
        Assert.Equal("Paris", value.RootElement.GetProperty("city").GetString());
        Assert.Equal(FinishReason.Stop, Assert.IsType<DoneEvent>(events[^1]).FinishReason);
    }

    [Fact]
    public async Task StreamAsync_ToolArguments_SplitInsideStrings()
    {
        var source = new SimulatedStreamSource(TestStreams.Instant, new ThrowingTimeProvider());
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"note":{"type":"string"},"city":{"type":"string"}}}""").RootElement;

        var events = await TestStreams.CollectAsync(source, TestStreams.Ask("please call SAVE_NOTE now", new ToolDefinition("save_note", null, schema)));

        var deltas = events.OfType<ToolCallDeltaEvent>().Select(d => d.Delta).ToList();
        var json = string.Concat(deltas);
        var offset = 0;
        var insideString = 0;
        foreach (var delta in deltas.SkipLast(1))
        {
            offset += delta.Length;
            insideString += IsInsideStringContent(json, offset) ? 1 : 0;
        }

        Assert.True(insideString > 0, "No fragment boundary fell inside a key or string value.");
    }

    [Fact]
    public async Task StreamAsync_SamePromptAndTool_HasStableCallId()
    {
        var source = new SimulatedStreamSource(TestStreams.Instant, new ThrowingTimeProvider());
        var request = TestStreams.Ask("Use lookup please", new ToolDefinition("lookup"));

        var first = Assert.IsType<ToolCallStartEvent>((await TestStreams.CollectAsync(source, request))[0]);
        var second = Assert.IsType<ToolCallStartEvent>((await TestStreams.CollectAsync(source, request))[0]);

        Assert.Equal(first.Id, second.Id);
        Assert.Matches("^call_[0-9a-f]{16}$", first.Id);
    }

    [Fact]
    public async Task StreamAsync_ToolNotMentioned_StreamsText()
    {
        var source = new SimulatedStreamSource(TestStreams.Instant, new ThrowingTimeProvider());

        var events = await TestStreams.CollectAsync(source, TestStreams.Ask("Tell me about Lisbon", new ToolDefinition("get_weather")));

        Assert.IsType<TokenEvent>(events[0]);
        Assert.Equal(FinishReason.Stop, Assert.IsType<DoneEvent>(events[^1]).FinishReason);
    }

    private static List<string> Tokens(IEnumerable<StreamEvent> events) =>
        events.OfType<TokenEvent>().Select(t => t.Content).ToList();

    private static string Text(IEnumerable<StreamEvent> events) => string.Concat(Tokens(events));

    /// <summary>Whether <paramref name="offset"/> lies inside a JSON string, after its opening quote's own position.</summary>
    private static bool IsInsideStringContent(string json, int offset)
    {
        var inString = false;
        for (var i = 0; i < offset; i++)
        {
            if (json[i] == '\\' && inString)
            {
                i++;
            }
            else if (json[i] == '"')
            {
                inString = !inString;
            }
        }

        return inString && json[offset - 1] != '"';
    }
}
