using System.Diagnostics.Metrics;
using Sluice.Protocol;

namespace Sluice.ReplayLog.Tests;

public sealed class InMemoryReplayLogEvictionTests : ReplayLogEvictionContractTests
{
    protected override bool CompletesSynchronously => true;

    protected override Task<IReplayLog> CreateLogCoreAsync(ReplayLogOptions options, IMeterFactory? meterFactory) =>
        Task.FromResult<IReplayLog>(new InMemoryReplayLog(options, meterFactory));

    [Fact]
    public async Task Read_CursorEvictedTwice_ReadersShareOneSnapshotUntilTheNextEviction()
    {
        var log = await LogWithAsync(new ReplayLogOptions { MaxEventsPerStream = 4 }, Id, TestStreams.OpenAnswer(9));
        var page = new SequencedEvent[8];

        await log.ReadAsync(Id, -1, page, Ct);
        var first = page[0].Event;
        await log.ReadAsync(Id, 0, page, Ct);

        Assert.Same(first, page[0].Event);
    }

    [Fact]
    public async Task Read_CompleteStreamCursorEvicted_ReadersShareTheFinalSnapshot()
    {
        var log = await LogWithAsync(new ReplayLogOptions { MaxEventsPerStream = 2 }, Id, TestStreams.Answer("a", "b", "c", "d", "e"));
        var page = new SequencedEvent[4];

        await log.ReadAsync(Id, -1, page, Ct);
        var snapshot = page[0].Event;
        await log.ReadAsync(Id, 2, page, Ct);

        Assert.Same(snapshot, page[0].Event);
    }
}
