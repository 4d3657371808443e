using System.Text;
using Sluice.TestSupport;

namespace Sluice.Protocol.Tests;

public sealed class StreamEventReaderTests
{
    [Fact]
    public async Task ReadAsync_CommentsAndUnknownTypes_AreSkipped()
    {
        var body = ": keep-alive\n\nid: 0\nevent: future\ndata: {\"type\":\"future\",\"seq\":0}\n\nid: 1\nevent: token\ndata: {\"type\":\"token\",\"seq\":1,\"content\":\"x\"}\n\n";

        var events = await ReadAllAsync(body);

        Assert.Equal([new SequencedEvent(1, new TokenEvent("x"))], events);
    }

    [Fact]
    public async Task ReadAsync_IdDiffersFromSeq_ThrowsInvalidDataException()
    {
        var body = "id: 2\nevent: token\ndata: {\"type\":\"token\",\"seq\":1,\"content\":\"x\"}\n\n";

        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync(body));
    }

    [Fact]
    public async Task ReadAsync_Utf8CharacterSplitAcrossReads_IsReassembled()
    {
        var body = "id: 0\nevent: token\ndata: {\"type\":\"token\",\"seq\":0,\"content\":\"日本😀\"}\n\n";

        var events = await ReadAllAsync(body, chunkSize: 1);

        Assert.Equal("日本😀", Assert.IsType<TokenEvent>(Assert.Single(events).Event).Content);
    }

    [Fact]
    public async Task ReadAsync_NullStream_ThrowsWithParameterName()
    {
        var ex = await Assert.ThrowsAsync<ArgumentNullException>(async () =>
        {
            await foreach (var _ in StreamEventReader.ReadAsync(null!, TestContext.Current.CancellationToken))
            {
            }
        });

        Assert.Equal("stream", ex.ParamName);
    }

    private static async Task<List<SequencedEvent>> ReadAllAsync(string body, int chunkSize = int.MaxValue)
    {
        var events = new List<SequencedEvent>();
        await foreach (var evt in StreamEventReader.ReadAsync(new TrickleStream(Encoding.UTF8.GetBytes(body), chunkSize), TestContext.Current.CancellationToken))
        {
            events.Add(evt);
        }

        return events;
    }
}
