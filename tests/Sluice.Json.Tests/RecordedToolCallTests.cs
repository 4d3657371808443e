using System.Net.ServerSentEvents;
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
        var fragments = await ReadArgumentFragmentsAsync(transcript);
        using var expected = JsonDocument.Parse(await File.ReadAllTextAsync(FixturePath(transcript + ".expected.json"), TestContext.Current.CancellationToken));
        var calls = expected.RootElement.GetProperty("expected").GetProperty("toolCalls").EnumerateArray().ToArray();
        Assert.Equal(calls.Length, fragments.Count);

        foreach (var (call, callFragments) in calls.Zip(fragments.Values))
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
        var fragments = await ReadArgumentFragmentsAsync(transcript);

        foreach (var callFragments in fragments.Values.Where(f => f.Any(fragment => fragment.Length > 0)))
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

    /// <summary>Each tool call's argument fragments, by call, in stream order.</summary>
    private static async Task<SortedDictionary<string, List<string>>> ReadArgumentFragmentsAsync(string transcript)
    {
        var calls = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        await using var stream = File.OpenRead(FixturePath(transcript + ".sse"));
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(TestContext.Current.CancellationToken))
        {
            if (item.Data == "[DONE]")
            {
                continue;
            }

            using var document = JsonDocument.Parse(item.Data);
            foreach (var (key, fragment) in ArgumentFragments(document.RootElement))
            {
                if (!calls.TryGetValue(key, out var list))
                {
                    calls[key] = list = [];
                }

                list.Add(fragment);
            }
        }

        return calls;
    }

    private static IEnumerable<(string Key, string Fragment)> ArgumentFragments(JsonElement data)
    {
        // Anthropic Messages: content_block_delta / input_json_delta, keyed by content block index.
        if (data.TryGetProperty("type", out var type) && type.GetString() == "content_block_delta"
            && data.GetProperty("delta").GetProperty("type").GetString() == "input_json_delta")
        {
            yield return (Key(data.GetProperty("index")), data.GetProperty("delta").GetProperty("partial_json").GetString()!);
        }

        // OpenAI Responses: response.function_call_arguments.delta, keyed by output index.
        if (type.ValueKind == JsonValueKind.String && type.GetString() == "response.function_call_arguments.delta")
        {
            yield return (Key(data.GetProperty("output_index")), data.GetProperty("delta").GetString()!);
        }

        // OpenAI Chat Completions: choices[].delta.tool_calls[].function.arguments, keyed by tool call index.
        if (data.TryGetProperty("choices", out var choices))
        {
            foreach (var choice in choices.EnumerateArray())
            {
                if (choice.TryGetProperty("delta", out var delta) && delta.TryGetProperty("tool_calls", out var toolCalls))
                {
                    foreach (var call in toolCalls.EnumerateArray())
                    {
                        if (call.TryGetProperty("function", out var function) && function.TryGetProperty("arguments", out var arguments))
                        {
                            yield return (Key(call.GetProperty("index")), arguments.GetString()!);
                        }
                    }
                }
            }
        }
    }

    private static string Key(JsonElement index) => index.GetInt32().ToString("D4", System.Globalization.CultureInfo.InvariantCulture);

    private static string FixturePath(string name) => RepositoryPaths.Combine("tests", "Fixtures", "transcripts", name);
}
