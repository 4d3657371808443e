using System.Buffers;
using System.Net.ServerSentEvents;
using System.Text;
using Sluice.TestSupport;

namespace Sluice.Protocol.Tests;

public sealed class StreamEventEncoderTests
{
    [Fact]
    public void Write_TokenEvent_ProducesExactFrame()
    {
        var frame = Encode(new SequencedEvent(3, new TokenEvent("Hel\nlo")));

        Assert.Equal("id: 3\nevent: token\ndata: {\"type\":\"token\",\"seq\":3,\"content\":\"Hel\\nlo\"}\n\n", frame);
    }

    [Fact]
    public void Write_CoalescedEvent_IdIsTheLastSeqAndFromTheFirst()
    {
        var frame = Encode(new SequencedEvent(7, new TokenEvent("abcd")) { FirstSeq = 4 });

        Assert.Equal("id: 7\nevent: token\ndata: {\"type\":\"token\",\"seq\":7,\"from\":4,\"content\":\"abcd\"}\n\n", frame);
    }

    [Fact]
    public void Write_WithRetry_PrependsRetryField()
    {
        var frame = Encode(new SequencedEvent(0, new TokenEvent("a")), TimeSpan.FromSeconds(2));

        Assert.StartsWith("retry: 2000\nid: 0\n", frame, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_NonAsciiText_IsNotEscaped()
    {
        var frame = Encode(new SequencedEvent(1, new TokenEvent("café 日本")));

        Assert.Contains("\"content\":\"café 日本\"", frame, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_LoneSurrogate_BecomesReplacementCharacter()
    {
        var frame = Encode(new SequencedEvent(1, new TokenEvent("a\uD800b")));

        Assert.Contains("a\\uFFFDb", frame, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Write_ManyFramesWithOneEncoder_EachFrameIsComplete()
    {
        var encoder = new StreamEventEncoder();
        var output = new ArrayBufferWriter<byte>();
        for (var seq = 0; seq < 3; seq++)
        {
            encoder.Write(output, new SequencedEvent(seq, new TokenEvent("t" + seq)));
        }

        var frames = Encoding.UTF8.GetString(output.WrittenSpan).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, frames.Length);
        Assert.All(frames, (frame, seq) => Assert.Equal($"id: {seq}\nevent: token\ndata: {{\"type\":\"token\",\"seq\":{seq},\"content\":\"t{seq}\"}}", frame));
    }

    [Fact]
    public void Write_NullOutput_ThrowsWithParameterName()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => new StreamEventEncoder().Write(null!, new SequencedEvent(0, new TokenEvent("x"))));

        Assert.Equal("output", ex.ParamName);
    }

    [Fact]
    public void Write_DefaultSequencedEvent_ThrowsWithParameterName()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => new StreamEventEncoder().Write(new ArrayBufferWriter<byte>(), default));

        Assert.Equal("sequencedEvent", ex.ParamName);
    }

    [Fact]
    public void WriteComment_TextWithNewlines_StaysOneCommentLine()
    {
        var output = new ArrayBufferWriter<byte>();

        StreamEventEncoder.WriteComment(output, "keep\nalive\r\n");

        Assert.Equal(": keep alive  \n\n", Encoding.UTF8.GetString(output.WrittenSpan));
    }

    public static TheoryData<int, int, string, bool> RoundTripMatrix()
    {
        var data = new TheoryData<int, int, string, bool>();
        for (var text = 0; text < SampleEvents.AdversarialTexts.Length; text++)
        {
            foreach (var chunk in new[] { int.MaxValue, 1 })
            {
                foreach (var newline in new[] { "\n", "\r\n", "\r" })
                {
                    foreach (var async in new[] { false, true })
                    {
                        // The 70 000-character text in 1-byte reads is slow and adds nothing the short texts don't cover.
                        if (chunk == 1 && SampleEvents.AdversarialTexts[text].Length > 1000)
                        {
                            continue;
                        }

                        data.Add(text, chunk, newline, async);
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(RoundTripMatrix))]
    public async Task Write_ThenSseParser_RoundTripsEveryEventType(int textIndex, int chunkSize, string newline, bool useAsync)
    {
        var text = SampleEvents.AdversarialTexts[textIndex];
        var events = SampleEvents.AllTypes(text).Select((e, i) => new SequencedEvent(i, e)).ToArray();
        var expected = SampleEvents.AllTypes(SampleEvents.Expected(text)).ToArray();
        var encoder = new StreamEventEncoder();
        var output = new ArrayBufferWriter<byte>();
        for (var i = 0; i < events.Length; i++)
        {
            encoder.Write(output, events[i], i == 0 ? TimeSpan.FromSeconds(2) : null);
            StreamEventEncoder.WriteComment(output, "keep-alive");
        }

        // Line endings are only ever framing: content never holds a raw CR or LF, so rewriting every LF must be safe.
        var bytes = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(output.WrittenSpan).Replace("\n", newline, StringComparison.Ordinal));
        var parser = SseParser.Create(new TrickleStream(bytes, chunkSize), static (type, data) => (type, evt: StreamEventParser.Parse(data)));
        var items = new List<SseItem<(string Type, SequencedEvent? Event)>>();
        if (useAsync)
        {
            await foreach (var item in parser.EnumerateAsync(TestContext.Current.CancellationToken))
            {
                items.Add(item);
            }
        }
        else
        {
#pragma warning disable VSTHRD103 // The synchronous path is half of the matrix under test.
            items.AddRange(parser.Enumerate());
#pragma warning restore VSTHRD103
        }

        Assert.Equal(events.Length, items.Count);
        Assert.Equal(TimeSpan.FromSeconds(2), parser.ReconnectionInterval);
        for (var i = 0; i < events.Length; i++)
        {
            var (type, decoded) = items[i].Data;
            Assert.Equal(events[i].Event.Type.Name, type);
            Assert.Equal(events[i].Seq.ToString(System.Globalization.CultureInfo.InvariantCulture), items[i].EventId);
            Assert.NotNull(decoded);
            Assert.Equal(events[i].Seq, decoded.Value.Seq);
            EventAssert.Equivalent(expected[i], decoded.Value.Event);
        }
    }

    public static TheoryData<int> TextIndexes() => [.. Enumerable.Range(0, SampleEvents.AdversarialTexts.Length)];

    [Theory]
    [MemberData(nameof(TextIndexes))]
    public void Write_TokenText_DecodesToTheSameText(int textIndex)
    {
        var text = SampleEvents.AdversarialTexts[textIndex];
        var output = new ArrayBufferWriter<byte>();
        new StreamEventEncoder().Write(output, new SequencedEvent(7, new TokenEvent(text)));
        var frame = Encoding.UTF8.GetString(output.WrittenSpan);
        var data = frame.Split('\n').Single(line => line.StartsWith("data: ", StringComparison.Ordinal))["data: ".Length..];

        var decoded = StreamEventParser.Parse(Encoding.UTF8.GetBytes(data));

        Assert.Equal(SampleEvents.Expected(text), Assert.IsType<TokenEvent>(decoded!.Value.Event).Content);
    }

    private static string Encode(SequencedEvent evt, TimeSpan? retry = null)
    {
        var output = new ArrayBufferWriter<byte>();
        new StreamEventEncoder().Write(output, evt, retry);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }
}
