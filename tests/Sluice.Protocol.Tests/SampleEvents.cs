using System.Text.Json;

namespace Sluice.Protocol.Tests;

/// <summary>Events of every type, and text that tries to break framing.</summary>
internal static class SampleEvents
{
    public static readonly string[] AdversarialTexts =
    [
        "",
        "plain",
        "line\nbreak",
        "carriage\rreturn",
        "crlf\r\npair",
        "\n\n\n",
        "\r\n\r\n",
        "nul\0byte",
        "lone high \uD800 surrogate",
        "lone low \uDC00 surrogate",
        "\uD800",
        "data: injected\n\nid: 99\nevent: done\ndata: {}",
        "id: 5",
        ": comment-looking",
        "retry: 1",
        "quotes \" and backslash \\ and tab \t",
        "naïve café, 日本語, emoji 😀 and 👩‍👩‍👧",
        "\u2028\u2029 separators",
        new string('x', 70_000),
    ];

    public static IEnumerable<StreamEvent> AllTypes(string text)
    {
        using var document = JsonDocument.Parse("""{"city":"Par","tags":["a",1,true,null]}""");
        var partial = document.RootElement.Clone();
        yield return new StartEvent("stream-" + text.Length, text, ResumeToken: "secret");
        yield return new TokenEvent(text);
        yield return new ReasoningEvent(text);
        yield return new ToolCallStartEvent("call_1", "get_weather", 0);
        yield return new ToolCallDeltaEvent("call_1", text);
        yield return new ToolCallEndEvent("call_1", text, Valid: false, Errors: ["bad " + text]);
        yield return new ToolCallDeltaEvent("call_1", text, partial);
        yield return new ToolCallEndEvent("call_1", text, Valid: true);
        yield return new ObjectEvent(text);
        yield return new ObjectEvent(text, partial);
        yield return ObjectEvent.Final(partial, valid: true);
        yield return ObjectEvent.Final(null, valid: false, errors: ["truncated " + text]);
        yield return new SnapshotEvent(
            41,
            text,
            text,
            [new ToolCallSnapshot("call_1", "get_weather", 0, text, Complete: false), new ToolCallSnapshot("call_2", "f", 1, text, Complete: true, Valid: false, Errors: [text])],
            new ObjectSnapshot(text, Complete: true, Valid: false, Errors: [text]));
        yield return new SnapshotEvent(41, text, text, [], new ObjectSnapshot(text, Complete: false));
        yield return new ErrorEvent("overloaded_error", text, Retryable: true);
        yield return new ErrorEvent("rate_limited", text, Retryable: true, RetryAfter: TimeSpan.FromSeconds(1.5));
        yield return new DoneEvent(FinishReason.Stop, new Usage(12, 34));
    }

    /// <summary>What a correct round trip must give back for <paramref name="text"/> (lone surrogates become U+FFFD).</summary>
    public static string Expected(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (char.IsHighSurrogate(chars[i]) && (i + 1 >= chars.Length || !char.IsLowSurrogate(chars[i + 1])))
            {
                chars[i] = '\uFFFD';
            }
            else if (char.IsLowSurrogate(chars[i]) && (i == 0 || !char.IsHighSurrogate(chars[i - 1])))
            {
                chars[i] = '\uFFFD';
            }
        }

        return new string(chars);
    }
}
