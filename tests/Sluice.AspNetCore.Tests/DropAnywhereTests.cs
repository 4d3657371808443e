using System.Net.ServerSentEvents;
using System.Text;
using Sluice.Protocol;
using Sluice.ReplayLog;

namespace Sluice.AspNetCore.Tests;

/// <summary>
/// Cut the client's connection after any byte, resume with Last-Event-ID, and the reassembled answer equals the
/// uninterrupted one byte for byte: no character lost, none repeated, seq strictly increasing.
/// </summary>
public sealed class DropAnywhereTests
{
    private const int CutPoints = 500;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Timeout = 300_000)]
    public async Task Resume_AfterCutAtAnyByte_ReassemblesExactly()
    {
        TestContext.Current.CancellationToken.ThrowIfCancellationRequested(); // The helpers use it (Ct), so the Timeout can stop them.
        var source = new GatedStreamSource(Script());
        await using var gateway = await TestGateway.StartAsync(source);
        var (reference, bytes, frameEnds) = await RunUninterruptedAsync(gateway);

        foreach (var cut in CutOffsets(bytes, frameEnds, seed: 1))
        {
            // Pause the run right after the frame that holds byte cut - 1, so those bytes exist and no more: the
            // resume then replays from the log and continues live.
            var seqHoldingCut = frameEnds.FindIndex(end => end >= cut);
            source.CloseGate();
            source.GateBefore = seqHoldingCut; // script index i is seq i + 1 (seq 0 is start)

            using var started = await gateway.Client.SendStreamingAsync(SseClient.Post());
            var prefix = await ReadBytesAsync(started, cut);
            started.Dispose(); // the cut
            Assert.Equal(cut, prefix.Length);

            var received = ParseCompleteFrames(prefix, out var lastEventId);
            var reconnectFirst = cut % 2 == 0; // half the time the run is still paused when the reader is back
            if (!reconnectFirst)
            {
                source.OpenGate();
            }

            using var resumed = await gateway.Client.SendStreamingAsync(SseClient.Resume(started, lastEventId));
            source.OpenGate();
            var rest = await resumed.ReadAllEventsAsync();

            AssertReassemblesTo(reference, [.. received, .. rest], $"cut after {cut} of {bytes.Length} bytes");
        }
    }

    [Fact(Timeout = 300_000)]
    public async Task Resume_AfterCutWithEvictedPosition_ReassemblesFromSnapshot()
    {
        TestContext.Current.CancellationToken.ThrowIfCancellationRequested(); // The helpers use it (Ct), so the Timeout can stop them.
        // A log of 4 events: the reader lags behind a fast producer, and its position is gone when it comes back.
        var source = new GatedStreamSource(Script());
        await using var gateway = await TestGateway.StartAsync(source, logOptions: new ReplayLogOptions { MaxEventsPerStream = 4 }, coalesce: true);
        var (reference, bytes, _) = await RunUninterruptedAsync(gateway);
        var random = new Random(2);
        var snapshots = 0;

        for (var i = 0; i < CutPoints; i++)
        {
            // What this connection delivers depends on how far it lags (snapshots are shorter than the events they
            // replace), so the cut is a random byte count, and a connection shorter than that simply ends.
            var cut = random.Next(1, i < CutPoints / 5 ? 300 : bytes.Length); // a fifth cut early: certain snapshots
            using var started = await gateway.Client.SendStreamingAsync(SseClient.Post());
            var prefix = await ReadBytesAsync(started, cut);
            started.Dispose();
            var received = ParseCompleteFrames(prefix, out var lastEventId);
            if (received.Count > 0 && received[^1].Event.IsTerminal)
            {
                continue; // Nothing left to resume.
            }

            await gateway.Runs.TryGetRun(started).Completion.WaitAsync(Ct);
            using var resumed = await gateway.Client.SendStreamingAsync(SseClient.Resume(started, lastEventId));
            var rest = await resumed.ReadAllEventsAsync();

            // The finished run's log holds its last 4 events: a position before those must come back as a snapshot.
            var positionEvicted = (lastEventId ?? -1) + 1 < reference.LastSeq - 3;
            Assert.Equal(positionEvicted, rest[0].Event is SnapshotEvent);
            snapshots += positionEvicted ? 1 : 0;

            AssertReassemblesTo(reference, [.. received, .. rest], $"cut after {cut} bytes");
        }

        Assert.True(snapshots >= CutPoints / 5, $"only {snapshots} resumes began with a snapshot");
    }

    [Fact(Timeout = 300_000)]
    public async Task Resume_RepeatedCutsInOneRun_ReassemblesExactly()
    {
        TestContext.Current.CancellationToken.ThrowIfCancellationRequested(); // The helpers use it (Ct), so the Timeout can stop them.
        var source = new GatedStreamSource(Script());
        await using var gateway = await TestGateway.StartAsync(source, coalesce: true);
        var (reference, bytes, _) = await RunUninterruptedAsync(gateway);
        var random = new Random(7);

        for (var attempt = 0; attempt < 20; attempt++)
        {
            source.CloseGate();
            source.GateBefore = int.MaxValue;
            using var started = await gateway.Client.SendStreamingAsync(SseClient.Post());
            var events = new List<SequencedEvent>();
            var prefix = await ReadBytesAsync(started, random.Next(1, 400));
            started.Dispose();
            events.AddRange(ParseCompleteFrames(prefix, out var lastEventId));

            // Cut each resumed connection again after a few hundred bytes, until one reaches the end.
            while (true)
            {
                using var resumed = await gateway.Client.SendStreamingAsync(SseClient.Resume(started, lastEventId));
                var budget = random.Next(1, 600);
                var chunk = await ReadBytesAsync(resumed, budget);
                var parsed = ParseCompleteFrames(chunk, out var last);
                events.AddRange(parsed);
                lastEventId = last ?? lastEventId;
                if (parsed.Count > 0 && parsed[^1].Event.IsTerminal)
                {
                    break;
                }
            }

            AssertReassemblesTo(reference, events, $"attempt {attempt}");
        }
    }

    private static void AssertReassemblesTo(StreamAccumulator reference, List<SequencedEvent> events, string because)
    {
        var rebuilt = new StreamAccumulator();
        var previous = -1L;
        foreach (var evt in events)
        {
            Assert.True(evt.FirstSeq > previous, $"seq {evt.FirstSeq}..{evt.Seq} after {previous} ({because})");
            previous = evt.Seq;
            Assert.True(rebuilt.Apply(evt), $"duplicate seq {evt.Seq} ({because})");
        }

        Assert.True(rebuilt.IsComplete, because);
        Assert.Equal(reference.Text, rebuilt.Text);
        Assert.Equal(reference.Reasoning, rebuilt.Reasoning);
        Assert.Equal(reference.ToolCalls.Select(c => (c.Id, c.Name, c.Arguments)), rebuilt.ToolCalls.Select(c => (c.Id, c.Name, c.Arguments)));
        Assert.Equal(reference.FinishReason, rebuilt.FinishReason);
        Assert.Equal(reference.LastSeq, rebuilt.LastSeq);
    }

    private static async Task<(StreamAccumulator Reference, byte[] Bytes, List<int> FrameEnds)> RunUninterruptedAsync(TestGateway gateway)
    {
        using var response = await gateway.Client.SendStreamingAsync(SseClient.Post());
        var bytes = await response.Content.ReadAsByteArrayAsync(Ct);
        var events = ParseCompleteFrames(bytes, out _);
        var reference = new StreamAccumulator();
        foreach (var evt in events)
        {
            reference.Apply(evt);
        }

        // A frame ends with its blank line; stream and token ids have a fixed length, so every run has this layout.
        var frameEnds = new List<int>();
        for (var i = 1; i < bytes.Length; i++)
        {
            if (bytes[i] == '\n' && bytes[i - 1] == '\n')
            {
                frameEnds.Add(i + 1);
            }
        }

        Assert.Equal(events.Count, frameEnds.Count);
        Assert.True(reference.IsComplete);
        return (reference, bytes, frameEnds);
    }

    /// <summary>Seeded cut offsets over the whole stream, always including splits inside UTF-8 characters and at frame edges.</summary>
    private static SortedSet<int> CutOffsets(byte[] bytes, List<int> frameEnds, int seed)
    {
        var random = new Random(seed);
        var cuts = new SortedSet<int>();
        var insideCharacters = Enumerable.Range(1, bytes.Length - 1).Where(i => (bytes[i] & 0xC0) == 0x80).ToList();
        foreach (var i in insideCharacters.OrderBy(_ => random.Next()).Take(CutPoints / 5))
        {
            cuts.Add(i);
        }

        foreach (var end in frameEnds.OrderBy(_ => random.Next()).Take(CutPoints / 10))
        {
            cuts.Add(Math.Min(end, bytes.Length - 1));
            cuts.Add(end - 1);
        }

        while (cuts.Count < CutPoints)
        {
            cuts.Add(random.Next(1, bytes.Length));
        }

        return cuts;
    }

    private static async Task<byte[]> ReadBytesAsync(HttpResponseMessage response, int count)
    {
        var stream = await response.Content.ReadAsStreamAsync(Ct);
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(read), Ct);
            if (n == 0)
            {
                break; // The stream ended first (it was shorter than the budget).
            }

            read += n;
        }

        return buffer[..read];
    }

    /// <summary>What an SSE client makes of a cut connection: the complete frames; a trailing partial one is dropped (spec).</summary>
    private static List<SequencedEvent> ParseCompleteFrames(byte[] bytes, out long? lastEventId)
    {
        var parser = SseParser.Create(new MemoryStream(bytes), static (_, data) => StreamEventParser.Parse(data));
        var events = new List<SequencedEvent>();
#pragma warning disable VSTHRD103 // In-memory bytes: nothing to wait for.
        foreach (var item in parser.Enumerate())
#pragma warning restore VSTHRD103
        {
            events.Add(item.Data!.Value);
        }

        lastEventId = events.Count > 0 ? events[^1].Seq : null;
        return events;
    }

    /// <summary>An answer with reasoning, multi-byte text (2-, 3- and 4-byte UTF-8) and a tool call, in uneven tokens.</summary>
    private static List<StreamEvent> Script()
    {
        var random = new Random(42);
        var script = new List<StreamEvent>();
        foreach (var piece in Split("Thinking about Zürich… ✓ then 🚀.", random))
        {
            script.Add(new ReasoningEvent(piece));
        }

        var text = new StringBuilder();
        for (var i = 0; i < 6; i++)
        {
            text.Append($"## Résumé {i}\n\nNaïve café — 日本語のテキスト 😀 👩‍👩‍👧 and `code` with \"quotes\"\r\n\n```csharp\nvar s = \"ü\\n\";\n```\n\n");
        }

        foreach (var piece in Split(text.ToString(), random))
        {
            script.Add(new TokenEvent(piece));
        }

        const string Arguments = "{\"city\":\"Zürich\",\"note\":\"line1\\nline2 ✓ 😀\",\"n\":[1,2,3]}";
        script.Add(new ToolCallStartEvent("call_1", "get_weather", 0));
        foreach (var piece in Split(Arguments, random))
        {
            script.Add(new ToolCallDeltaEvent("call_1", piece));
        }

        script.Add(new ToolCallEndEvent("call_1", Arguments, Valid: true));
        script.Add(new DoneEvent(FinishReason.ToolCalls, new Usage(10, 200)));
        return script;
    }

    /// <summary>Cuts text into 1-8 character pieces, never between the halves of a surrogate pair.</summary>
    private static IEnumerable<string> Split(string text, Random random)
    {
        var start = 0;
        while (start < text.Length)
        {
            var end = Math.Min(text.Length, start + random.Next(1, 9));
            if (end < text.Length && char.IsLowSurrogate(text[end]))
            {
                end++;
            }

            yield return text[start..end];
            start = end;
        }
    }
}
