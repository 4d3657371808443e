using Bunit;
using Sluice.Client;
using Sluice.Protocol;

namespace Sluice.Components.Tests;

public sealed class SmallComponentTests : ComponentTestBase
{
    [Fact]
    public void ConnectionIndicator_ShowsReconnecting_OnlyWhileReconnecting()
    {
        var cut = Render<ConnectionIndicator>(p => p.Add(c => c.State, ConnectionState.Streaming));
        Assert.Empty(cut.FindAll("[data-testid=reconnecting]"));
        Assert.Equal("streaming", cut.Find("[data-testid=connection]").GetAttribute("data-state"));

        cut.Render(p => p.Add(c => c.State, ConnectionState.Reconnecting));
        Assert.Equal("Reconnecting…", cut.Find("[data-testid=reconnecting]").TextContent.Trim());
        Assert.Equal("reconnecting", cut.Find("[data-testid=connection]").GetAttribute("data-state"));

        cut.Render(p => p.Add(c => c.State, ConnectionState.Streaming));
        Assert.Empty(cut.FindAll("[data-testid=reconnecting]"));

        cut.Render(p => p.Add(c => c.State, ConnectionState.Done));
        Assert.Empty(cut.FindAll("[data-testid=reconnecting], [data-testid=connection-failed]"));
    }

    [Fact]
    public void ConnectionIndicator_ShowsWhyItFailed()
    {
        var cut = Render<ConnectionIndicator>(p => p
            .Add(c => c.State, ConnectionState.Failed)
            .Add(c => c.Error, new ErrorEvent("resume_exhausted", "Gave up after 5 attempts.", Retryable: false)));

        Assert.Empty(cut.FindAll("[data-testid=reconnecting]"));
        Assert.Equal("Connection lost: Gave up after 5 attempts.", cut.Find("[data-testid=connection-failed]").TextContent.Trim());
    }

    [Fact]
    public void ReasoningPanel_IsACollapsibleDetailsElement()
    {
        var cut = Render<ReasoningPanel>(p => p.Add(c => c.Text, "Step one.\nStep two.").Add(c => c.Streaming, true));

        var details = cut.Find("details[data-testid=reasoning]");
        Assert.False(details.HasAttribute("open"));
        Assert.Equal("Reasoning", details.QuerySelector("summary .sluice-reasoning-title")!.TextContent);
        Assert.NotNull(details.QuerySelector("[data-testid=reasoning-streaming]"));
        Assert.Equal("Step one.\nStep two.", cut.Find("[data-testid=reasoning-text]").TextContent);

        cut.Render(p => p.Add(c => c.Text, "Done thinking.").Add(c => c.Streaming, false).Add(c => c.Open, true).Add(c => c.Title, "Thoughts"));
        Assert.True(cut.Find("details").HasAttribute("open"));
        Assert.Empty(cut.FindAll("[data-testid=reasoning-streaming]"));
        Assert.Equal("Thoughts", cut.Find(".sluice-reasoning-title").TextContent);
    }

    [Fact]
    public void StopButton_InvokesTheCallback()
    {
        var stops = 0;
        var cut = Render<StopButton>(p => p.Add(c => c.OnStop, () => stops++));

        cut.Find("[data-testid=stop-button]").Click();

        Assert.Equal(1, stops);
        Assert.Equal("Stop", cut.Find("button").TextContent.Trim());
        Assert.Equal("button", cut.Find("button").GetAttribute("type"));
    }

    [Fact]
    public void StopButton_CanBeDisabledAndRelabelled()
    {
        var cut = Render<StopButton>(p => p.Add(c => c.Disabled, true).Add(c => c.Label, "Stopping…"));

        Assert.True(cut.Find("[data-testid=stop-button]").HasAttribute("disabled"));
        Assert.Equal("Stopping…", cut.Find("button").TextContent.Trim());
    }
}
