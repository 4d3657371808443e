using Sluice.Protocol;

namespace Sluice.Client.Tests;

/// <summary>Short names for the events the scripted tests send.</summary>
internal static class Events
{
    public static SequencedEvent Start(string streamId = "stream-1", string? token = "token-1") => new(0, new StartEvent(streamId, "model-1", token));

    public static SequencedEvent Token(long seq, string content) => new(seq, new TokenEvent(content));

    public static SequencedEvent Done(long seq) => new(seq, new DoneEvent(FinishReason.Stop, new Usage(1, 2)));
}
