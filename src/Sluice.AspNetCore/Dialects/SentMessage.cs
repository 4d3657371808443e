namespace Sluice.AspNetCore.Dialects;

/// <summary>
/// How much of the answer one response has already put on the wire: characters of text, reasoning and structured
/// output, and each tool call's argument characters and whether it was ended.
/// </summary>
/// <remarks>
/// A dialect cannot tell its client "replace everything" the way the native snapshot does. So when a snapshot arrives
/// (first, because the log evicted the start; or mid-stream, because the reader fell behind), the writer sends only what
/// the snapshot holds beyond this record: the missing suffix of each text, the calls not started or not ended. A
/// snapshot's texts extend what came before it, so the suffix is exact.
/// </remarks>
internal sealed class SentMessage
{
    private readonly Dictionary<string, SentToolCall> _toolCalls = new(StringComparer.Ordinal);

    public int TextLength { get; set; }

    public int ReasoningLength { get; set; }

    public int ObjectLength { get; set; }

    /// <summary>The call's record, if this response started it.</summary>
    public SentToolCall? Find(string callId) => _toolCalls.GetValueOrDefault(callId);

    /// <summary>Records a call this response starts.</summary>
    public SentToolCall Start(string callId, string name)
    {
        var call = new SentToolCall(name);
        _toolCalls[callId] = call;
        return call;
    }

    /// <summary>The part of <paramref name="whole"/> beyond the first <paramref name="sent"/> characters (empty when none).</summary>
    public static string Beyond(string whole, int sent) => sent >= whole.Length ? string.Empty : whole[sent..];
}
