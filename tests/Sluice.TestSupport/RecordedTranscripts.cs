using System.Net.ServerSentEvents;
using System.Text.Json;

namespace Sluice.TestSupport;

/// <summary>The recorded provider streams in tests/Fixtures/transcripts, and what the tests read out of them.</summary>
public static class RecordedTranscripts
{
    /// <summary>The path of a transcript file, e.g. <c>anthropic-tool-use.sse</c>.</summary>
    public static string Path(string name) => RepositoryPaths.Combine("tests", "Fixtures", "transcripts", name);

    /// <summary>
    /// Each tool call's argument fragments exactly as the provider sent them, in stream order, the calls in the order of
    /// their index: Anthropic <c>input_json_delta</c>, Chat Completions <c>tool_calls[].function.arguments</c>,
    /// Responses <c>response.function_call_arguments.delta</c>.
    /// </summary>
    public static async Task<List<List<string>>> ReadArgumentFragmentsAsync(string transcript, CancellationToken cancellationToken)
    {
        var byIndex = new SortedDictionary<int, List<string>>();
        var stream = File.OpenRead(Path(transcript + ".sse"));
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var item in SseParser.Create(stream).EnumerateAsync(cancellationToken).ConfigureAwait(false))
            {
                if (item.Data == "[DONE]")
                {
                    continue;
                }

                using var document = JsonDocument.Parse(item.Data);
                foreach (var (index, fragment) in ArgumentFragments(document.RootElement))
                {
                    if (!byIndex.TryGetValue(index, out var list))
                    {
                        byIndex[index] = list = [];
                    }

                    list.Add(fragment);
                }
            }
        }

        return [.. byIndex.Values];
    }

    private static IEnumerable<(int Index, string Fragment)> ArgumentFragments(JsonElement data)
    {
        var type = data.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (type == "content_block_delta" && data.GetProperty("delta").GetProperty("type").GetString() == "input_json_delta")
        {
            yield return (data.GetProperty("index").GetInt32(), data.GetProperty("delta").GetProperty("partial_json").GetString()!);
        }
        else if (type == "response.function_call_arguments.delta")
        {
            yield return (data.GetProperty("output_index").GetInt32(), data.GetProperty("delta").GetString()!);
        }
        else if (data.TryGetProperty("choices", out var choices))
        {
            foreach (var choice in choices.EnumerateArray())
            {
                if (!choice.TryGetProperty("delta", out var delta) || !delta.TryGetProperty("tool_calls", out var calls))
                {
                    continue;
                }

                foreach (var call in calls.EnumerateArray())
                {
                    if (call.TryGetProperty("function", out var function) && function.TryGetProperty("arguments", out var arguments))
                    {
                        yield return (call.GetProperty("index").GetInt32(), arguments.GetString()!);
                    }
                }
            }
        }
    }
}
