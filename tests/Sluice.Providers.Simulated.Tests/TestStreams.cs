using Sluice.Protocol;

namespace Sluice.Providers.Simulated.Tests;

/// <summary>Requests and helpers shared by the stream tests.</summary>
internal static class TestStreams
{
    /// <summary>No delays, so a whole stream can be read without advancing any clock.</summary>
    public static SimulatedOptions Instant { get; } = new() { TokensPerSecond = 0 };

    public static StreamRequest Ask(string prompt, params ToolDefinition[] tools) =>
        new([new StreamMessage(MessageRole.System, "You are a helpful assistant."), new StreamMessage(MessageRole.User, prompt)])
        {
            Tools = tools,
        };

    public static async Task<List<StreamEvent>> CollectAsync(IStreamSource source, StreamRequest request)
    {
        var events = new List<StreamEvent>();
        await foreach (var evt in source.StreamAsync(request, TestContext.Current.CancellationToken))
        {
            events.Add(evt);
        }

        return events;
    }

    /// <summary>A prompt whose hash picks each answer, so a test can cover all of them.</summary>
    public static IReadOnlyDictionary<Answer, string> PromptPerAnswer()
    {
        var prompts = new Dictionary<Answer, string>();
        for (var i = 0; prompts.Count < AnswerLibrary.All.Count; i++)
        {
            Assert.True(i < 100_000, "Some answer is never picked.");
            var prompt = $"Tell me something, question {i}";
            prompts.TryAdd(AnswerLibrary.Pick(PromptHash.Compute(prompt)), prompt);
        }

        return prompts;
    }

    /// <summary>Whether <paramref name="text"/> has no unpaired surrogate, i.e. is valid UTF-16.</summary>
    public static bool IsValidUtf16(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
