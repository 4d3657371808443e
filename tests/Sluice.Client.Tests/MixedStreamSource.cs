using System.Runtime.CompilerServices;
using Sluice.Protocol;

namespace Sluice.Client.Tests;

/// <summary>
/// A provider whose one answer has everything a message can hold: reasoning, text, a tool call with arguments in
/// fragments split inside keys and strings, and a tool call with no arguments at all.
/// </summary>
internal sealed class MixedStreamSource : IStreamSource
{
    public const string WeatherArguments = """{"city":"Zürich","days":3,"units":["c","f"],"note":"a \"quoted\" line\n"}""";

    public string DefaultModel => "mixed-1";

    public static IEnumerable<StreamEvent> Script()
    {
        yield return new ReasoningEvent("Let me think");
        yield return new ReasoningEvent(" about it.");
        foreach (var word in "Here is the forecast, with ünïcödé and an emoji 😀 for good measure.".Split(' '))
        {
            yield return new TokenEvent(word + " ");
        }

        yield return new ToolCallStartEvent("call_weather", "get_weather", 0);
        for (var i = 0; i < WeatherArguments.Length; i += 7)
        {
            yield return new ToolCallDeltaEvent("call_weather", WeatherArguments.Substring(i, Math.Min(7, WeatherArguments.Length - i)));
        }

        yield return new ToolCallEndEvent("call_weather", WeatherArguments, Valid: true);
        yield return new ToolCallStartEvent("call_now", "get_time", 1);
        yield return new ToolCallEndEvent("call_now", "{}", Valid: true);
        yield return new TokenEvent("Done.");
        yield return new DoneEvent(FinishReason.ToolCalls, new Usage(11, 42));
    }

    public async IAsyncEnumerable<StreamEvent> StreamAsync(StreamRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var evt in Script())
        {
            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            yield return evt;
        }
    }
}
