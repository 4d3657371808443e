using System.Text.Json;
using System.Text.Json.Nodes;
using Sluice.Protocol;

namespace Sluice.Client.Tests;

/// <summary>Requests the tests send, and how they read a stream into a <see cref="MessageState"/> the way a UI does.</summary>
internal static class Messages
{
    public static StreamRequest Ask(string prompt) => new([new StreamMessage(MessageRole.User, prompt)]);

    /// <summary>A prompt that makes the simulated model call a tool with several arguments.</summary>
    public static StreamRequest AskForTool() => Ask("What is the get_weather in Paris?") with
    {
        Tools =
        [
            new ToolDefinition("get_weather", "The forecast.", JsonElement.Parse("""
                {"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer","minimum":1,"maximum":14},"detailed":{"type":"boolean"},"units":{"type":"array","items":{"type":"string"}}},"required":["city","days"]}
                """)),
        ],
    };

    /// <summary>Reads the whole stream into a fresh message, checking that every event is new and seqs only increase.</summary>
    public static async Task<Reading> ReadAsync(SluiceStream stream, CancellationToken cancellationToken)
    {
        var reading = new Reading();
        stream.StateChanged += (_, e) =>
        {
            reading.States.Add(e);
            reading.Message.SetConnection(e.State);
        };
        await foreach (var evt in stream.ReadAllAsync(cancellationToken))
        {
            Assert.True(evt.Seq > reading.LastSeq, $"seq {evt.Seq} after {reading.LastSeq}");
            Assert.True(reading.Message.Apply(evt), $"seq {evt.Seq} ({evt.Event.Type}) was yielded twice");
            reading.LastSeq = evt.Seq;
            reading.Events.Add(evt);
        }

        return reading;
    }

    /// <summary>Everything a UI shows of a finished message, comparable with <see cref="Assert.Equal{T}(T, T)"/>.</summary>
    public static string Describe(MessageState message, bool withModel = true) => new JsonObject
    {
        ["text"] = message.Text,
        ["reasoning"] = message.Reasoning,
        ["model"] = withModel ? message.Model : null,
        ["finishReason"] = message.FinishReason?.Value,
        ["usage"] = message.Usage is { } usage ? $"{usage.InputTokens}/{usage.OutputTokens}" : null,
        ["error"] = message.Error?.Code,
        ["complete"] = message.IsComplete,
        ["connection"] = message.Connection.ToString(),
        ["toolCalls"] = new JsonArray([.. message.ToolCalls.Select(call => (JsonNode)new JsonObject
        {
            ["id"] = call.Id,
            ["name"] = call.Name,
            ["index"] = call.State.Index,
            ["arguments"] = call.Arguments,
            ["complete"] = call.Complete,
            ["valid"] = call.State.Valid,
            ["partial"] = call.PartialArguments?.ToJsonString(),
        })]),
    }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });

    internal sealed class Reading
    {
        public MessageState Message { get; } = new();

        public List<SequencedEvent> Events { get; } = [];

        public List<ConnectionStateChangedEventArgs> States { get; } = [];

        public long LastSeq { get; set; } = -1;

        public int Reconnects => States.Count(s => s.State == ConnectionState.Reconnecting);
    }
}
