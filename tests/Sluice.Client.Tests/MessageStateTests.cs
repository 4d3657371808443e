using System.Text.Json.Nodes;
using Sluice.Protocol;

namespace Sluice.Client.Tests;

public sealed class MessageStateTests
{
    [Fact]
    public void Apply_Duplicate_IsIgnored_AndChangesNothing()
    {
        var message = new MessageState();
        Assert.True(message.Apply(Events.Start()));
        Assert.True(message.Apply(Events.Token(1, "Hello")));
        var version = message.Version;

        Assert.False(message.Apply(Events.Token(1, "Hello")));
        Assert.False(message.Apply(Events.Start()));

        Assert.Equal("Hello", message.Text);
        Assert.Equal(version, message.Version);
        Assert.Equal(1, message.LastSeq);
    }

    [Fact]
    public void Apply_Events_MoveTheConnectionFromConnectingToStreamingToDone()
    {
        var message = new MessageState();
        Assert.Equal(ConnectionState.Connecting, message.Connection);

        message.Apply(Events.Start());
        Assert.Equal(ConnectionState.Streaming, message.Connection);

        message.SetConnection(ConnectionState.Reconnecting);
        Assert.Equal(ConnectionState.Reconnecting, message.Connection);
        message.Apply(Events.Token(1, "a"));
        Assert.Equal(ConnectionState.Streaming, message.Connection);

        message.Apply(Events.Done(2));
        Assert.Equal(ConnectionState.Done, message.Connection);
        Assert.True(message.IsComplete);

        message.SetConnection(ConnectionState.Reconnecting); // a finished message stays finished
        Assert.Equal(ConnectionState.Done, message.Connection);
    }

    [Fact]
    public void Apply_Snapshot_ReplacesTheState_AndBumpsTextGeneration()
    {
        var message = new MessageState();
        message.Apply(Events.Start());
        message.Apply(Events.Token(1, "Old text"));
        message.Apply(new SequencedEvent(2, new ToolCallStartEvent("call_old", "old", 0)));
        var generation = message.TextGeneration;

        var applied = message.Apply(new SequencedEvent(9, new SnapshotEvent(9, "Everything so far", "Thinking",
            [new ToolCallSnapshot("call_1", "search", 0, """{"q":"sl""", Complete: false)])));

        Assert.True(applied);
        Assert.Equal(generation + 1, message.TextGeneration);
        Assert.Equal("Everything so far", message.Text);
        Assert.Equal("Thinking", message.Reasoning);
        Assert.Equal(9, message.LastSeq);
        var call = Assert.Single(message.ToolCalls);
        Assert.Equal("call_1", call.Id);
        Assert.Equal("sl", call.PartialArguments!["q"]!.GetValue<string>()); // parsed from the snapshot's text so far

        // An older (or the same) snapshot is a duplicate.
        Assert.False(message.Apply(new SequencedEvent(9, new SnapshotEvent(9, "other", string.Empty, []))));
        Assert.Equal("Everything so far", message.Text);

        // The stream goes on after the snapshot.
        message.Apply(new SequencedEvent(10, new ToolCallDeltaEvent("call_1", "uice\"}")));
        message.Apply(new SequencedEvent(11, new TokenEvent(".")));
        Assert.Equal("sluice", call.PartialArguments!["q"]!.GetValue<string>());
        Assert.Equal("Everything so far.", message.Text);
        Assert.Equal(".", message.GetTextSince("Everything so far".Length));
    }

    [Fact]
    public void ToolCall_PartialArguments_FillInLive()
    {
        var message = new MessageState();
        message.Apply(Events.Start());
        message.Apply(new SequencedEvent(1, new ToolCallStartEvent("call_1", "get_weather", 0)));
        var call = Assert.Single(message.ToolCalls);
        Assert.Null(call.PartialArguments);

        message.Apply(new SequencedEvent(2, new ToolCallDeltaEvent("call_1", """{"city":"Pa""")));
        Assert.Equal("Pa", call.PartialArguments!["city"]!.GetValue<string>());
        Assert.False(call.Complete);

        message.Apply(new SequencedEvent(3, new ToolCallDeltaEvent("call_1", """ris","days":1""")));
        Assert.Equal("Paris", call.PartialArguments!["city"]!.GetValue<string>());

        message.Apply(new SequencedEvent(4, new ToolCallDeltaEvent("call_1", "4}")));
        message.Apply(new SequencedEvent(5, new ToolCallEndEvent("call_1", """{"city":"Paris","days":14}""", Valid: true)));

        Assert.True(call.Complete);
        Assert.Null(call.ParseError);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"city":"Paris","days":14}"""), call.PartialArguments));
        Assert.Same(call, message.ToolCalls[0]); // the view is live, updated in place
    }

    [Fact]
    public void ToolCall_WithoutArguments_EndsWithAnEmptyObject()
    {
        var message = new MessageState();
        message.Apply(Events.Start());
        message.Apply(new SequencedEvent(1, new ToolCallStartEvent("call_1", "get_time", 0)));
        message.Apply(new SequencedEvent(2, new ToolCallEndEvent("call_1", "{}", Valid: true)));

        var call = Assert.Single(message.ToolCalls);
        Assert.True(call.Complete);
        Assert.Equal("{}", call.Arguments);
        var arguments = Assert.IsType<JsonObject>(call.PartialArguments);
        Assert.Empty(arguments);
    }

    [Fact]
    public void ToolCalls_StayInIndexOrder()
    {
        var message = new MessageState();
        message.Apply(Events.Start());
        message.Apply(new SequencedEvent(1, new ToolCallStartEvent("b", "second", 1)));
        message.Apply(new SequencedEvent(2, new ToolCallStartEvent("a", "first", 0)));

        Assert.Equal(["a", "b"], message.ToolCalls.Select(c => c.Id));
    }

    [Fact]
    public void Fail_MarksTheMessageFailed_ButNotAFinishedOne()
    {
        var message = new MessageState();
        message.Apply(Events.Start());
        message.Apply(Events.Token(1, "Partial"));

        message.Fail(new ErrorEvent("stream_lost", "Gone.", Retryable: true));

        Assert.Equal(ConnectionState.Failed, message.Connection);
        Assert.True(message.IsComplete);
        Assert.Equal("stream_lost", message.Error!.Code);
        Assert.Equal(1, message.LastSeq);
        Assert.Equal("Partial", message.Text);

        var done = new MessageState();
        done.Apply(Events.Start());
        done.Apply(Events.Done(1));
        done.Fail(new ErrorEvent("late", "Too late.", Retryable: false));
        Assert.Equal(ConnectionState.Done, done.Connection);
        Assert.Null(done.Error);
    }

    [Fact]
    public void Apply_Gap_Throws()
    {
        var message = new MessageState();
        message.Apply(Events.Start());

        Assert.Throws<InvalidOperationException>(() => message.Apply(Events.Token(5, "x")));
        Assert.Equal(0, message.LastSeq);
    }
}
