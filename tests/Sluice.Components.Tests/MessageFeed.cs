using Sluice.Client;
using Sluice.Protocol;

namespace Sluice.Components.Tests;

/// <summary>Feeds a <see cref="MessageState"/> the events of one stream, numbering them.</summary>
internal sealed class MessageFeed
{
    private long _seq = -1;

    public MessageState Message { get; } = new();

    public static MessageFeed Started() => new MessageFeed().Apply(new StartEvent("stream-1", "test-model"));

    public MessageFeed Token(string content) => Apply(new TokenEvent(content));

    public MessageFeed Tokens(string text, int size)
    {
        for (var i = 0; i < text.Length; i += size)
        {
            Token(text.Substring(i, Math.Min(size, text.Length - i)));
        }

        return this;
    }

    public MessageFeed Reasoning(string content) => Apply(new ReasoningEvent(content));

    public MessageFeed ToolStart(string id, string name, int index = 0) => Apply(new ToolCallStartEvent(id, name, index));

    public MessageFeed ToolDelta(string id, string delta) => Apply(new ToolCallDeltaEvent(id, delta));

    public MessageFeed ToolEnd(string id, string arguments, bool valid, params string[] errors) =>
        Apply(new ToolCallEndEvent(id, arguments, valid, errors.Length == 0 ? null : errors));

    public MessageFeed Done(long input = 12, long output = 34) => Apply(new DoneEvent(FinishReason.Stop, new Usage(input, output)));

    public MessageFeed Error(string code, string message) => Apply(new ErrorEvent(code, message, Retryable: false));

    public MessageFeed Snapshot(string text, string reasoning = "", params ToolCallSnapshot[] calls) =>
        Apply(new SnapshotEvent(_seq + 1, text, reasoning, calls));

    public MessageFeed Apply(StreamEvent evt)
    {
        _seq++;
        if (!Message.Apply(new SequencedEvent(_seq, evt)))
        {
            throw new InvalidOperationException($"Event {_seq} was not applied.");
        }

        return this;
    }
}
