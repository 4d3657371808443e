using Sluice.Protocol;

namespace Sluice.Providers.OpenAI.Tests;

/// <summary>Checks every stream must pass, and the text and calls it adds up to.</summary>
internal static class EventChecks
{
    public static T Terminal<T>(IReadOnlyList<StreamEvent> events)
        where T : StreamEvent
    {
        Assert.NotEmpty(events);
        Assert.Single(events, e => e is DoneEvent or ErrorEvent);
        return Assert.IsType<T>(events[^1]);
    }

    public static string Text(IReadOnlyList<StreamEvent> events) => string.Concat(events.OfType<TokenEvent>().Select(e => e.Content));

    public static string Reasoning(IReadOnlyList<StreamEvent> events) => string.Concat(events.OfType<ReasoningEvent>().Select(e => e.Content));

    /// <summary>Each call's start, deltas and end, checked for order: (id, name, deltas joined, end arguments).</summary>
    public static List<(string Id, string Name, string Deltas, string EndArguments)> ToolCalls(IReadOnlyList<StreamEvent> events)
    {
        var calls = new List<(string Id, string Name, string Deltas, string EndArguments)>();
        foreach (var start in events.OfType<ToolCallStartEvent>())
        {
            var startAt = IndexOf(events, start);
            var end = Assert.Single(events.OfType<ToolCallEndEvent>(), e => e.Id == start.Id);
            var endAt = IndexOf(events, end);
            Assert.True(startAt < endAt, $"{start.Id} ends before it starts");
            var deltas = events.Select((e, i) => (e, i)).Where(x => x.e is ToolCallDeltaEvent d && d.Id == start.Id).ToList();
            Assert.All(deltas, d => Assert.InRange(d.i, startAt + 1, endAt - 1));
            Assert.All(deltas, d => Assert.NotEmpty(((ToolCallDeltaEvent)d.e).Delta));
            Assert.True(end.Valid);
            calls.Add((start.Id, start.Name, string.Concat(deltas.Select(d => ((ToolCallDeltaEvent)d.e).Delta)), end.Arguments));
        }

        Assert.Equal(calls.Count, events.OfType<ToolCallEndEvent>().Count());
        return calls;
    }

    private static int IndexOf(IReadOnlyList<StreamEvent> events, StreamEvent target)
    {
        for (var i = 0; i < events.Count; i++)
        {
            if (ReferenceEquals(events[i], target))
            {
                return i;
            }
        }

        return -1;
    }
}
