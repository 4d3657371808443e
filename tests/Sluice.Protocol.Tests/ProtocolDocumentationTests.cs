using System.Buffers;
using System.Net.ServerSentEvents;
using System.Text;
using System.Text.RegularExpressions;
using Sluice.TestSupport;

namespace Sluice.Protocol.Tests;

/// <summary>Every <c>sse</c> example in docs/PROTOCOL.md parses, and re-encodes to exactly the same bytes.</summary>
public sealed partial class ProtocolDocumentationTests
{
    public static TheoryData<int> ExampleIndexes() => [.. Enumerable.Range(0, Examples().Count)];

    [Fact]
    public void ProtocolMd_HasExamples()
    {
        Assert.True(Examples().Count >= 4, "PROTOCOL.md should keep its sse examples.");
    }

    [Theory]
    [MemberData(nameof(ExampleIndexes))]
    public void ProtocolMdExample_ParsesAndReencodesByteForByte(int index)
    {
        var example = Examples()[index];
        var parser = SseParser.Create(new MemoryStream(Encoding.UTF8.GetBytes(example)), static (_, data) => StreamEventParser.Parse(data));
        var encoder = new StreamEventEncoder();
        var output = new ArrayBufferWriter<byte>();
        var previousSeq = -1L;
        foreach (var item in parser.Enumerate())
        {
            var evt = Assert.NotNull(item.Data);
            Assert.True(evt.Seq > previousSeq, "seq must increase");
            previousSeq = evt.Seq;
            // The parser exposes retry only as its current value: it is the first frame's, as PROTOCOL.md requires.
            encoder.Write(output, evt, output.WrittenCount == 0 && example.StartsWith("retry:", StringComparison.Ordinal) ? parser.ReconnectionInterval : null);
        }

        var withoutComments = string.Concat(example.Split('\n').Where(l => !l.StartsWith(':')).Select(l => l + "\n"))
            .Replace("\n\n\n", "\n\n", StringComparison.Ordinal).TrimEnd('\n') + "\n\n";
        Assert.Equal(withoutComments, Encoding.UTF8.GetString(output.WrittenSpan));
    }

    private static List<string> Examples()
    {
        var markdown = File.ReadAllText(RepositoryPaths.Combine("docs", "PROTOCOL.md")).ReplaceLineEndings("\n");
        return [.. SseBlock().Matches(markdown).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex("```sse\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex SseBlock();
}
