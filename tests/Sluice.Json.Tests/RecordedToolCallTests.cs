using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.TestSupport;

namespace Sluice.Json.Tests;

/// <summary>
/// The tool-call argument fragments of the recorded provider streams (tests/Fixtures/transcripts), fed as the providers
/// sent them, end with exactly the recorded arguments.
/// </summary>
public class RecordedToolCallTests
{
    public static TheoryData<string> Transcripts => new() { "anthropic-tool-use", "openai-chat-tools", "openai-responses-text-tool" };

    [Theory]
    [MemberData(nameof(Transcripts))]
    public async Task Feed_RecordedFragments_EndWithTheRecordedArguments(string transcript)
    {
        var fragments = await RecordedTranscripts.ReadArgumentFragmentsAsync(transcript, TestContext.Current.CancellationToken);
        using var expected = JsonDocument.Parse(await File.ReadAllTextAsync(RecordedTranscripts.Path(transcript + ".expected.json"), TestContext.Current.CancellationToken));
        var calls = expected.RootElement.GetProperty("expected").GetProperty("toolCalls").EnumerateArray().ToArray();
        Assert.Equal(calls.Length, fragments.Count);

        foreach (var (call, callFragments) in calls.Zip(fragments))
        {
            Assert.Equal(call.GetProperty("argumentsRaw").GetString(), string.Concat(callFragments));
            if (callFragments.All(f => f.Length == 0))
            {
                // A call without arguments (Anthropic sends one empty fragment): its arguments are {}, which the
                // gateway supplies; there is nothing to parse.
                Assert.Equal("{}", call.GetProperty("argumentsParsed").GetRawText());
                continue;
            }

            var parser = new PartialJsonParser();
            foreach (var fragment in callFragments)
            {
                Assert.NotEqual(PartialJsonStatus.Invalid, parser.Feed(fragment));
            }

            Assert.Equal(PartialJsonStatus.Complete, parser.Complete());
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(call.GetProperty("argumentsParsed").GetRawText()), parser.GetJsonNode()));
        }
    }

    [Theory]
    [MemberData(nameof(Transcripts))]
    public async Task Feed_RecordedArgumentsOneByteAtATime_EndWithTheRecordedArguments(string transcript)
    {
        var fragments = await RecordedTranscripts.ReadArgumentFragmentsAsync(transcript, TestContext.Current.CancellationToken);

        foreach (var callFragments in fragments.Where(f => f.Any(fragment => fragment.Length > 0)))
        {
            var whole = Encoding.UTF8.GetBytes(string.Concat(callFragments));
            var parser = new PartialJsonParser();
            foreach (var b in whole)
            {
                parser.Feed([b]);
            }

            Assert.Equal(PartialJsonStatus.Complete, parser.Complete());
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(whole), parser.GetJsonNode()));
        }
    }
}
