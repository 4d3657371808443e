using System.Text;

namespace Sluice.Protocol.Tests;

public sealed class StreamEventParserTests
{
    [Fact]
    public void Parse_UnknownType_ReturnsNullSoClientsSkipIt()
    {
        Assert.Null(StreamEventParser.Parse("""{"type":"future_thing","seq":3,"x":1}"""u8));
    }

    [Fact]
    public void Parse_UnknownProperty_IsIgnored()
    {
        var parsed = StreamEventParser.Parse("""{"type":"token","seq":3,"content":"a","later":true}"""u8);

        Assert.Equal(new SequencedEvent(3, new TokenEvent("a")), parsed);
    }

    [Fact]
    public void Parse_CoalescedEvent_ReadsFromAsFirstSeq()
    {
        var parsed = StreamEventParser.Parse("""{"type":"token","seq":7,"from":4,"content":"abcd"}"""u8);

        Assert.Equal(new SequencedEvent(7, new TokenEvent("abcd")) { FirstSeq = 4 }, parsed);
    }

    [Fact]
    public void Parse_WithoutFrom_FirstSeqIsSeq()
    {
        Assert.Equal(3, StreamEventParser.Parse("""{"type":"token","seq":3,"content":"a"}"""u8)!.Value.FirstSeq);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"type":"token","seq":1}""")]
    [InlineData("""{"type":"token","content":"a"}""")]
    [InlineData("""{"type":"token","seq":"1","content":"a"}""")]
    [InlineData("""{"type":"token","seq":3,"from":4,"content":"a"}""")]
    [InlineData("""{"type":"token","seq":3,"from":-1,"content":"a"}""")]
    [InlineData("""{"type":"done","seq":1,"finishReason":"stop"}""")]
    [InlineData("""{"type":"done","seq":1,"finishReason":"","usage":{"inputTokens":1,"outputTokens":1}}""")]
    public void Parse_Malformed_ThrowsInvalidDataException(string data)
    {
        Assert.Throws<InvalidDataException>(() => StreamEventParser.Parse(Encoding.UTF8.GetBytes(data)));
    }

    [Fact]
    public void Parse_DoneWithProviderReason_KeepsTheReason()
    {
        var parsed = StreamEventParser.Parse("""{"type":"done","seq":9,"finishReason":"MAX_TOKENS","usage":{"inputTokens":1,"outputTokens":2}}"""u8);

        var done = Assert.IsType<DoneEvent>(parsed!.Value.Event);
        Assert.Equal("MAX_TOKENS", done.FinishReason.Value);
        Assert.True(done.IsTerminal);
    }
}
