using System.Text;
using System.Text.Json;
using Sluice.Protocol;

namespace Sluice.ReplayLog.Tests;

/// <summary>Streams to append and the helpers that read them back.</summary>
internal static class TestStreams
{
    private static readonly string[] Pieces = ["a", "bc", "déf", " ", "\n", "日本", "😀", "", "xyzw"];

    /// <summary>A start, then the tokens, then done: the shape of a plain answer.</summary>
    public static StreamEvent[] Answer(params string[] tokens) =>
        [new StartEvent("s", "m"), .. tokens.Select(t => new TokenEvent(t)), new DoneEvent(FinishReason.Stop, new Usage(1, tokens.Length))];

    /// <summary>A start followed by <paramref name="count"/> tokens <c>t1</c>, <c>t2</c>, …, without a terminal event.</summary>
    public static StreamEvent[] OpenAnswer(int count) =>
        [new StartEvent("s", "m"), .. Enumerable.Range(1, count).Select(i => new TokenEvent("t" + i))];

    /// <summary>A valid random stream of every content type, with tool calls that overlap.</summary>
    public static List<StreamEvent> Random(Random rng, int length, bool finish)
    {
        var events = new List<StreamEvent> { new StartEvent("s", "m") };
        var open = new List<string>();
        var nextIndex = 0;
        var objectEnded = false;
        while (events.Count < length)
        {
            switch (rng.Next(10))
            {
                case < 5:
                    events.Add(new TokenEvent(Text(rng)));
                    break;
                case 5:
                    events.Add(new ReasoningEvent(Text(rng)));
                    break;
                case 6 when open.Count < 2:
                    open.Add("call_" + nextIndex);
                    events.Add(new ToolCallStartEvent(open[^1], "tool" + nextIndex, nextIndex));
                    nextIndex++;
                    break;
                case 7 when open.Count > 0:
                    events.Add(new ToolCallDeltaEvent(open[rng.Next(open.Count)], Text(rng)));
                    break;
                case 8 when open.Count > 0:
                    var ended = open[rng.Next(open.Count)];
                    open.Remove(ended);
                    events.Add(new ToolCallEndEvent(ended, "{\"v\":" + rng.Next(100) + "}", Valid: rng.Next(2) == 0));
                    break;
                case 9 when !objectEnded:
                    objectEnded = rng.Next(8) == 0;
                    events.Add(objectEnded ? ObjectEvent.Final(Json("{\"n\":1}"), valid: rng.Next(2) == 0) : new ObjectEvent(Text(rng)));
                    break;
            }
        }

        if (finish)
        {
            events.Add(rng.Next(2) == 0 ? new DoneEvent(FinishReason.Length, Usage.Zero) : new ErrorEvent("provider_error", "boom", Retryable: false));
        }

        return events;
    }

    public static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    /// <summary>Creates the stream in <paramref name="log"/> and appends the events from seq 0.</summary>
    public static async Task<IReplayLog> WithAsync(this IReplayLog log, string streamId, IEnumerable<StreamEvent> events)
    {
        await log.CreateAsync(streamId, TestContext.Current.CancellationToken);
        await AppendAsync(log, streamId, 0, events);
        return log;
    }

    public static async Task AppendAsync(IReplayLog log, string streamId, long firstSeq, IEnumerable<StreamEvent> events)
    {
        var seq = firstSeq;
        foreach (var evt in events)
        {
            await log.AppendAsync(streamId, new SequencedEvent(seq++, evt), TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Folds events from seq 0 into a new accumulator.</summary>
    public static StreamAccumulator Fold(IEnumerable<StreamEvent> events)
    {
        var accumulator = new StreamAccumulator();
        var seq = 0L;
        foreach (var evt in events)
        {
            accumulator.Apply(new SequencedEvent(seq++, evt));
        }

        return accumulator;
    }

    /// <summary>
    /// Reads everything after the accumulator's position, page by page, into it; every element must be new (no
    /// duplicate) and follow on (the accumulator throws on a gap).
    /// </summary>
    /// <returns>How many pages started with a snapshot.</returns>
    public static async Task<int> ReadToHeadAsync(IReplayLog log, string streamId, StreamAccumulator reader, int pageSize)
    {
        var page = new SequencedEvent[pageSize];
        var snapshots = 0;
        while (true)
        {
            var result = await log.ReadAsync(streamId, reader.LastSeq, page, TestContext.Current.CancellationToken);
            Assert.True(result.Found);
            if (result.Count == 0)
            {
                Assert.Equal(result.Head, reader.LastSeq);
                return snapshots;
            }

            snapshots += result.StartsWithSnapshot ? 1 : 0;
            Assert.Equal(result.StartsWithSnapshot, page[0].Event is SnapshotEvent);
            for (var i = 0; i < result.Count; i++)
            {
                Assert.True(reader.Apply(page[i]), $"Seq {page[i].Seq} was read twice.");
            }
        }
    }

    /// <summary>Asserts that two accumulators hold the same content.</summary>
    public static void AssertSameContent(StreamAccumulator expected, StreamAccumulator actual)
    {
        Assert.Equal(expected.LastSeq, actual.LastSeq);
        Assert.Equal(expected.Text, actual.Text);
        Assert.Equal(expected.Reasoning, actual.Reasoning);
        Assert.Equal(Calls(expected), Calls(actual));
        Assert.Equal(expected.Object?.Text, actual.Object?.Text);
        Assert.Equal(expected.Object?.Complete, actual.Object?.Complete);
        Assert.Equal(expected.IsComplete, actual.IsComplete);
        Assert.Equal(expected.FinishReason, actual.FinishReason);
        Assert.Equal(expected.Error, actual.Error);
    }

    private static (string Id, string Name, int Index, string Arguments, bool Complete)[] Calls(StreamAccumulator accumulator) =>
        [.. accumulator.ToolCalls.Select(c => (c.Id, c.Name, c.Index, c.Arguments, c.Complete))];

    private static string Text(Random rng)
    {
        var text = new StringBuilder();
        for (var i = rng.Next(1, 4); i > 0; i--)
        {
            text.Append(Pieces[rng.Next(Pieces.Length)]);
        }

        return text.ToString();
    }
}
