using Bunit;
using Sluice.Client;

namespace Sluice.Components.Tests;

public sealed class AssistantMessageTests : ComponentTestBase
{
    [Fact]
    public async Task Message_ComposesReasoningAnswerToolsAndUsage()
    {
        var feed = MessageFeed.Started();
        var stops = 0;
        var cut = Render<AssistantMessage>(p => p.Add(c => c.Message, feed.Message).Add(c => c.OnStop, () => stops++));
        Assert.NotNull(cut.Find("[data-testid=assistant-message]"));
        Assert.Empty(cut.FindAll("[data-testid=reasoning]"));
        Assert.Empty(cut.FindAll("[data-testid=usage]"));

        feed.Reasoning("Let me think.");
        cut.Instance.NotifyChanged();
        await FrameAsync();
        Assert.Equal("Let me think.", cut.Find("[data-testid=reasoning-text]").TextContent);
        Assert.NotNull(cut.Find("[data-testid=reasoning-streaming]"));

        feed.Token("The **answer**.\n\n").ToolStart("call-1", "lookup").ToolDelta("call-1", "{\"q\": \"x");
        cut.Instance.NotifyChanged();
        await FrameAsync();
        Assert.Empty(cut.FindAll("[data-testid=reasoning-streaming]"));
        Assert.Equal("answer", cut.Find("[data-testid=markdown] strong").TextContent);
        Assert.Equal("{\n  \"q\": \"x\"\n}", cut.Find("[data-testid=tool-arguments]").TextContent);

        await cut.Find("[data-testid=stop-button]").ClickAsync(new());
        Assert.Equal(1, stops);

        feed.ToolDelta("call-1", "\"}").ToolEnd("call-1", "{\"q\": \"x\"}", valid: true).Done(input: 1200, output: 34);
        cut.Instance.NotifyChanged();
        await FrameAsync();
        Assert.Empty(cut.FindAll("[data-testid=stop-button]"));
        Assert.Equal("valid", cut.Find("[data-testid=tool-status]").TextContent);
        Assert.Equal("1,200 in · 34 out", cut.Find("[data-testid=usage-tokens]").TextContent);
        Assert.Equal("stop", cut.Find("[data-testid=finish-reason]").GetAttribute("data-finish-reason"));
        Assert.Equal("true", cut.Find("[data-testid=assistant-message]").GetAttribute("data-complete"));
    }

    [Fact]
    public async Task ManyEvents_ThenOneFrame_RenderTheMessageAndItsMarkdownOnce_InOneBatch()
    {
        // Exact counts from Blazor's own render batches (bUnit's RenderCount also counts a parent when a child renders).
        var feed = MessageFeed.Started();
        using var renderer = new RecordingRenderer(Services);
        var (message, _) = await renderer.RenderAsync<AssistantMessage>(new Dictionary<string, object?> { ["Message"] = feed.Message });
        renderer.Batches.Clear();

        await renderer.Dispatcher.InvokeAsync(() =>
        {
            for (var i = 0; i < 50; i++)
            {
                feed.Token(i % 10 == 9 ? "token\n\n" : "token ");
                message.NotifyChanged();
            }
        });

        Assert.Empty(renderer.Batches); // nothing rendered per event
        Assert.Equal(2, Scheduler.PendingCount); // the message's frame and its markdown's, for the same frame

        await renderer.Dispatcher.InvokeAsync(Scheduler.RunFrameAsync);

        Assert.Single(renderer.Batches);
        Assert.Equal(1, renderer.RenderCount<AssistantMessage>());
        Assert.Equal(1, renderer.RenderCount<StreamingMarkdown>());
        Assert.Equal(0, Scheduler.PendingCount);
        Assert.Equal(1, Scheduler.FrameCount);
    }

    [Fact]
    public async Task ParentRerenders_AreBatchedToo_AndTheMarkdownCatchesUpInTheSameBatch()
    {
        var feed = MessageFeed.Started();
        var parameters = new Dictionary<string, object?> { ["Message"] = feed.Message };
        using var renderer = new RecordingRenderer(Services);
        var (message, _) = await renderer.RenderAsync<AssistantMessage>(parameters);
        renderer.Batches.Clear();

        for (var i = 0; i < 20; i++)
        {
            feed.Token("word ");
            await renderer.SetParametersAsync(message, parameters); // what a parent re-rendering per event does
        }

        Assert.Equal(0, renderer.RenderCount<AssistantMessage>());
        Assert.Equal(0, renderer.RenderCount<StreamingMarkdown>());

        await renderer.Dispatcher.InvokeAsync(Scheduler.RunFrameAsync);

        Assert.Single(renderer.Batches);
        Assert.Equal(1, renderer.RenderCount<AssistantMessage>());
        Assert.Equal(1, renderer.RenderCount<StreamingMarkdown>());
        Assert.Equal(0, Scheduler.PendingCount);
    }

    [Fact]
    public async Task OneFrame_WithBUnit_RendersTheMarkdownOnce()
    {
        var feed = MessageFeed.Started();
        var cut = Render<AssistantMessage>(p => p.Add(c => c.Message, feed.Message));
        var markdown = cut.FindComponent<StreamingMarkdown>();

        for (var i = 0; i < 50; i++)
        {
            feed.Token("token ");
            cut.Instance.NotifyChanged();
        }

        Assert.Equal((1, 1), (cut.RenderCount, markdown.RenderCount));
        await FrameAsync();
        Assert.Equal(2, markdown.RenderCount);
        Assert.Contains("token token", cut.Find("[data-testid=markdown] p").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReconnectingIndicator_TogglesWithTheConnection()
    {
        var feed = MessageFeed.Started().Token("Partial answer");
        var cut = Render<AssistantMessage>(p => p.Add(c => c.Message, feed.Message));
        Assert.Empty(cut.FindAll("[data-testid=reconnecting]"));

        feed.Message.SetConnection(ConnectionState.Reconnecting);
        cut.Instance.NotifyChanged();
        await FrameAsync();
        Assert.NotNull(cut.Find("[data-testid=reconnecting]"));
        Assert.Equal("Partial answer", cut.Find("[data-testid=markdown] p").TextContent); // the text stays

        feed.Token(" resumed."); // an event on the resumed connection: streaming again
        cut.Instance.NotifyChanged();
        await FrameAsync();
        Assert.Empty(cut.FindAll("[data-testid=reconnecting]"));
        Assert.Equal("Partial answer resumed.", cut.Find("[data-testid=markdown] p").TextContent);
    }

    [Fact]
    public async Task FailedConnection_ShowsTheFailure_AndCompletesTheMarkdown()
    {
        var feed = MessageFeed.Started().Token("Cut **off");
        var cut = Render<AssistantMessage>(p => p.Add(c => c.Message, feed.Message).Add(c => c.OnStop, () => { }));

        feed.Message.Fail(new Protocol.ErrorEvent("resume_exhausted", "Gave up.", Retryable: false));
        cut.Instance.NotifyChanged();
        await FrameAsync();

        Assert.Contains("Gave up.", cut.Find("[data-testid=connection-failed]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll("[data-testid=message-error]")); // said once, by the indicator
        Assert.Empty(cut.FindAll("[data-testid=stop-button]"));
        Assert.Equal("Cut **off", cut.Find("[data-testid=markdown] p").TextContent);
    }

    [Fact]
    public void ServerError_IsShownAfterTheAnswer()
    {
        var feed = MessageFeed.Started().Token("Partial").Error("provider_error", "The provider failed.");

        var cut = Render<AssistantMessage>(p => p.Add(c => c.Message, feed.Message));

        Assert.Equal("The provider failed.", cut.Find("[data-testid=message-error]").TextContent);
        Assert.Empty(cut.FindAll("[data-testid=connection-failed]"));
    }

    [Fact]
    public void Usage_CanBeHidden_AndStopNeedsAHandler()
    {
        var streaming = MessageFeed.Started().Token("x");
        var cut = Render<AssistantMessage>(p => p.Add(c => c.Message, streaming.Message));
        Assert.Empty(cut.FindAll("[data-testid=stop-button]"));

        var done = MessageFeed.Started().Token("x").Done();
        cut.Render(p => p.Add(c => c.Message, done.Message).Add(c => c.ShowUsage, false));
        Assert.Empty(cut.FindAll("[data-testid=usage]"));
    }
}
