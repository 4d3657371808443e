using Bunit;
using Sluice.Protocol;

namespace Sluice.Components.Tests;

public sealed class ToolCallCardTests : ComponentTestBase
{
    [Fact]
    public void Arguments_FillIn_AsTheyStream()
    {
        var feed = MessageFeed.Started().ToolStart("call-1", "get_weather");
        var call = feed.Message.ToolCalls[0];
        var cut = Render<ToolCallCard>(p => p.Add(c => c.Call, call));

        Assert.Equal("get_weather", cut.Find("[data-testid=tool-name]").TextContent);
        Assert.Equal("streaming", cut.Find("[data-testid=tool-call]").GetAttribute("data-state"));
        Assert.Equal("call-1", cut.Find("[data-testid=tool-call]").GetAttribute("data-tool-id"));

        feed.ToolDelta("call-1", "{\"city\": \"Par");
        cut.Render(p => p.Add(c => c.Call, call));
        Assert.Equal("{\n  \"city\": \"Par\"\n}", Arguments(cut));

        feed.ToolDelta("call-1", "is\", \"days\": 3, \"units\": [\"C\"");
        cut.Render(p => p.Add(c => c.Call, call));
        Assert.Equal("{\n  \"city\": \"Paris\",\n  \"days\": 3,\n  \"units\": [\n    \"C\"\n  ]\n}", Arguments(cut));
        Assert.Equal("streaming…", cut.Find("[data-testid=tool-status]").TextContent);

        feed.ToolDelta("call-1", "]}").ToolEnd("call-1", "{\"city\": \"Paris\", \"days\": 3, \"units\": [\"C\"]}", valid: true);
        cut.Render(p => p.Add(c => c.Call, call));
        Assert.Equal("valid", cut.Find("[data-testid=tool-status]").TextContent);
        Assert.Equal("valid", cut.Find("[data-testid=tool-call]").GetAttribute("data-state"));
        Assert.Empty(cut.FindAll("[data-testid=tool-errors]"));
        Assert.Contains("\"units\": [", Arguments(cut), StringComparison.Ordinal);
    }

    [Fact]
    public void NonAsciiArguments_StayReadable()
    {
        var feed = MessageFeed.Started().ToolStart("call-1", "search").ToolDelta("call-1", "{\"q\": \"Zürich & <Genève>\"}");

        var cut = Render<ToolCallCard>(p => p.Add(c => c.Call, feed.Message.ToolCalls[0]));

        Assert.Equal("{\n  \"q\": \"Zürich & <Genève>\"\n}", Arguments(cut));
    }

    [Fact]
    public void InvalidCall_ShowsTheBadgeAndTheErrors()
    {
        var feed = MessageFeed.Started()
            .ToolStart("call-1", "get_weather")
            .ToolDelta("call-1", "{\"city\": 42}")
            .ToolEnd("call-1", "{\"city\": 42}", valid: false, "city: expected string", "days: required");

        var cut = Render<ToolCallCard>(p => p.Add(c => c.Call, feed.Message.ToolCalls[0]));

        Assert.Equal("invalid", cut.Find("[data-testid=tool-status]").TextContent);
        Assert.Equal(
            ["city: expected string", "days: required"],
            cut.FindAll("[data-testid=tool-errors] li").Select(li => li.TextContent).ToArray());
        Assert.Equal("{\n  \"city\": 42\n}", Arguments(cut)); // valid JSON, invalid for the schema: still pretty
    }

    [Fact]
    public void ArgumentsThatAreNotJson_ShowRaw_WithTheParseError()
    {
        var feed = MessageFeed.Started().ToolStart("call-1", "run").ToolDelta("call-1", "{\"a\": 1} trailing");

        var cut = Render<ToolCallCard>(p => p.Add(c => c.Call, feed.Message.ToolCalls[0]));

        Assert.Equal("{\"a\": 1} trailing", Arguments(cut));
        Assert.Equal("invalid", cut.Find("[data-testid=tool-status]").TextContent);
        Assert.StartsWith("Not JSON at byte", cut.Find("[data-testid=tool-errors] li").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void CompleteCall_WithoutAVerdict_IsDone()
    {
        var feed = MessageFeed.Started().Snapshot("", "", new ToolCallSnapshot("call-1", "noop", 0, "{}", Complete: true));

        var cut = Render<ToolCallCard>(p => p.Add(c => c.Call, feed.Message.ToolCalls[0]));

        Assert.Equal("done", cut.Find("[data-testid=tool-status]").TextContent);
        Assert.Equal("{}", Arguments(cut));
    }

    [Fact]
    public void CallWithNoArgumentsYet_ShowsNothing()
    {
        var feed = MessageFeed.Started().ToolStart("call-1", "noop");

        var cut = Render<ToolCallCard>(p => p.Add(c => c.Call, feed.Message.ToolCalls[0]));

        Assert.Equal(string.Empty, Arguments(cut));
    }

    private static string Arguments(IRenderedComponent<ToolCallCard> cut) => cut.Find("[data-testid=tool-arguments]").TextContent;
}
