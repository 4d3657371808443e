#pragma warning disable BL0006 // The render tree types are what a test of DOM updates has to read.
using Microsoft.AspNetCore.Components.RenderTree;

namespace Sluice.Components.Tests;

/// <summary>
/// What a frame sends to the browser: with a renderer that records Blazor's diffs (the edits the browser applies), a
/// settled block must receive no edit at all, only the open tail.
/// </summary>
public sealed class DomUpdateTests : ComponentTestBase
{
    [Fact]
    public async Task Frame_EditsOnlyTheOpenBlock_NeverASettledOne()
    {
        var feed = MessageFeed.Started().Token("# Title\n\nFirst paragraph.\n\n- one\n- two\n\nThe tail");
        using var renderer = new RecordingRenderer(Services);
        var (component, id) = await renderer.RenderAsync<StreamingMarkdown>(new Dictionary<string, object?> { ["Message"] = feed.Message });
        Assert.Equal(4, component.Blocks.Count);

        foreach (var word in new[] { " grows", " **word", "** by", " word." })
        {
            renderer.Batches.Clear();
            feed.Token(word);
            await renderer.Dispatcher.InvokeAsync(component.NotifyChanged);
            await renderer.Dispatcher.InvokeAsync(Scheduler.RunFrameAsync);

            var touched = BlocksTouched(renderer.Diffs.Where(d => d.ComponentId == id));
            Assert.Equal([3], touched);
        }

        Assert.Equal("<p>The tail grows <strong>word</strong> by word.</p>", component.Blocks[3].Html.Trim());
    }

    [Fact]
    public async Task NewBlock_IsInsertedAfterTheOthers_WithoutEditingThem()
    {
        var feed = MessageFeed.Started().Token("First paragraph.");
        using var renderer = new RecordingRenderer(Services);
        var (component, id) = await renderer.RenderAsync<StreamingMarkdown>(new Dictionary<string, object?> { ["Message"] = feed.Message });

        renderer.Batches.Clear();
        feed.Token("\n\nSecond paragraph.");
        await renderer.Dispatcher.InvokeAsync(component.NotifyChanged);
        await renderer.Dispatcher.InvokeAsync(Scheduler.RunFrameAsync);

        // The first block settles: its element only gets its data-settled attribute changed (its content is final
        // and untouched); the second block is inserted after it.
        var edits = EditsByBlock(renderer.Diffs.Where(d => d.ComponentId == id));
        Assert.Equal([RenderTreeEditType.SetAttribute], edits[0]);
        Assert.Equal([RenderTreeEditType.PrependFrame], edits[1]);
        Assert.Equal(2, component.Blocks.Count);
    }

    /// <summary>The block positions (children of the container) that a component's diffs edit.</summary>
    private static int[] BlocksTouched(IEnumerable<RecordedDiff> diffs) => [.. EditsByBlock(diffs).Keys];

    /// <summary>
    /// Per block position (a child of the container), the edits of the block's element itself (a step into it stands for
    /// every edit of its content).
    /// </summary>
    private static SortedDictionary<int, List<RenderTreeEditType>> EditsByBlock(IEnumerable<RecordedDiff> diffs)
    {
        var edits = new SortedDictionary<int, List<RenderTreeEditType>>();
        foreach (var diff in diffs)
        {
            var depth = 0;
            foreach (var edit in diff.Edits)
            {
                Assert.True(depth > 0 || edit.Type == RenderTreeEditType.StepIn, "the container itself is never edited");
                if (depth == 1 && edit.Type != RenderTreeEditType.StepOut)
                {
                    if (!edits.TryGetValue(edit.SiblingIndex, out var list))
                    {
                        edits[edit.SiblingIndex] = list = [];
                    }

                    list.Add(edit.Type);
                }

                depth += edit.Type switch
                {
                    RenderTreeEditType.StepIn => 1,
                    RenderTreeEditType.StepOut => -1,
                    _ => 0,
                };
            }
        }

        return edits;
    }
}
