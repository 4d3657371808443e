using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Sluice.Protocol;

namespace Sluice.Providers.Simulated;

/// <summary>
/// A provider with no model behind it: streams one of the built-in markdown answers (or a tool call) token by
/// token, paced like a real model, so the gateway works with no API key and no network.
/// </summary>
/// <remarks>
/// Deterministic: the same prompt always yields the same answer, the same token boundaries and, for a given
/// <see cref="SimulatedOptions.Seed"/>, the same timing. Thread-safe; all per-request state lives in the enumeration.
/// </remarks>
internal sealed class SimulatedStreamSource : IStreamSource
{
    // Tool-call arguments stream as small fragments, like the chunks providers send, so clients exercise the
    // reassembly of JSON split inside keys and strings.
    private const int MaxArgumentFragmentLength = 20;

    // /echo answers by text (EchoAnswer), bounded in count and in the length of text worth keeping.
    private const int MaxCachedEchoAnswers = 64;
    private const int MaxCachedEchoLength = 16 * 1024;
    private static readonly ConcurrentDictionary<string, Answer> EchoAnswers = new(StringComparer.Ordinal);

    private readonly SimulatedOptions _options;
    private readonly TimeProvider _timeProvider;

    public SimulatedStreamSource(SimulatedOptions options, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options;
        _timeProvider = timeProvider;
    }

    public string DefaultModel => _options.Model;

    public IAsyncEnumerable<StreamEvent> StreamAsync(StreamRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return StreamCoreAsync(request, cancellationToken);
    }

    private async IAsyncEnumerable<StreamEvent> StreamCoreAsync(
        StreamRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prompt = LastUserMessage(request.Messages);
        var promptHash = PromptHash.Compute(prompt);
        // Mixing the prompt into the seed varies the rhythm between prompts while keeping each one reproducible.
        var pacer = new TokenPacer(_options, _timeProvider, unchecked(_options.Seed ^ (int)promptHash ^ (int)(promptHash >> 32)));
        var inputTokens = CountInputTokens(request.Messages);

        await pacer.BeforeFirstAsync(cancellationToken).ConfigureAwait(false);

        if (FindTool(request.Tools, prompt) is { } tool)
        {
            var id = "call_" + PromptHash.ToHex(promptHash);
            var arguments = ToolArguments.Generate(tool.Parameters);
            yield return new ToolCallStartEvent(id, tool.Name, 0);
            var first = true;
            foreach (var fragment in TokenCutter.Cut(arguments, MaxArgumentFragmentLength))
            {
                if (!first)
                {
                    await pacer.BeforeNextAsync(fragment.TokenCount, cancellationToken).ConfigureAwait(false);
                }

                first = false;
                yield return new ToolCallDeltaEvent(id, fragment.Text);
            }

            yield return new ToolCallEndEvent(id, arguments, Valid: true);
            yield return new DoneEvent(FinishReason.ToolCalls, new Usage(inputTokens, TokenCutter.Count(arguments)));
            yield break;
        }

        if (request.ResponseFormat is { } format)
        {
            // Structured output: one value built from the schema, streamed as raw fragments (the gateway judges it).
            var value = ToolArguments.Generate(format.Schema);
            var firstFragment = true;
            foreach (var fragment in TokenCutter.Cut(value, MaxArgumentFragmentLength))
            {
                if (!firstFragment)
                {
                    await pacer.BeforeNextAsync(fragment.TokenCount, cancellationToken).ConfigureAwait(false);
                }

                firstFragment = false;
                yield return new ObjectEvent(fragment.Text);
            }

            yield return new DoneEvent(FinishReason.Stop, new Usage(inputTokens, TokenCutter.Count(value)));
            yield break;
        }

        var answer = Directive(prompt) ?? AnswerLibrary.Pick(promptHash);
        var pieces = answer.Pieces;
        for (var i = 0; i < pieces.Count; i++)
        {
            if (i > 0)
            {
                await pacer.BeforeNextAsync(pieces[i].TokenCount, cancellationToken).ConfigureAwait(false);
            }

            // A fresh string per token, as a real provider's JSON parser makes one: whatever keeps events (a replay
            // log) pays for them, and the pieces stay shared by every request for the same answer.
            yield return new TokenEvent(new string(pieces[i].Text.AsSpan()));
        }

        cancellationToken.ThrowIfCancellationRequested();
        yield return new DoneEvent(FinishReason.Stop, new Usage(inputTokens, answer.TokenCount));
    }

    /// <summary>
    /// A prompt that says what to answer, for demos and tests: <c>/echo &lt;text&gt;</c> streams the text verbatim (any
    /// markdown, hostile HTML included); <c>/answer &lt;name&gt;</c> streams the built-in answer of that name.
    /// </summary>
    private static Answer? Directive(string prompt)
    {
        const string Echo = "/echo ";
        const string Named = "/answer ";
        if (prompt.StartsWith(Echo, StringComparison.Ordinal))
        {
            return EchoAnswer(prompt[Echo.Length..]);
        }

        return prompt.StartsWith(Named, StringComparison.Ordinal) ? AnswerLibrary.Find(prompt[Named.Length..].Trim()) : null;
    }

    /// <summary>
    /// The answer that echoes <paramref name="text"/>: tokenized once per text while it is cached, so a load test or a
    /// demo that repeats one prompt holds one copy of its pieces, not one per stream.
    /// </summary>
    private static Answer EchoAnswer(string text)
    {
        if (text.Length > MaxCachedEchoLength)
        {
            return new Answer("echo", text);
        }

        if (EchoAnswers.TryGetValue(text, out var cached))
        {
            return cached;
        }

        if (EchoAnswers.Count >= MaxCachedEchoAnswers)
        {
            EchoAnswers.Clear(); // Bounded, simply: a workload with many distinct prompts starts over.
        }

        return EchoAnswers.GetOrAdd(text, static t => new Answer("echo", t));
    }

    /// <summary>The prompt the simulation reacts to: the last user message, or empty when there is none.</summary>
    private static string LastUserMessage(IReadOnlyList<StreamMessage> messages)
    {
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role == MessageRole.User)
            {
                return messages[i].Content;
            }
        }

        return string.Empty;
    }

    private static long CountInputTokens(IReadOnlyList<StreamMessage> messages)
    {
        long count = 0;
        foreach (var message in messages)
        {
            count += TokenCutter.Count(message.Content);
        }

        return count;
    }

    /// <summary>The first offered tool whose name the prompt mentions, ignoring case.</summary>
    private static ToolDefinition? FindTool(IReadOnlyList<ToolDefinition> tools, string prompt)
    {
        foreach (var tool in tools)
        {
            if (!string.IsNullOrEmpty(tool.Name) && prompt.Contains(tool.Name, StringComparison.OrdinalIgnoreCase))
            {
                return tool;
            }
        }

        return null;
    }
}
