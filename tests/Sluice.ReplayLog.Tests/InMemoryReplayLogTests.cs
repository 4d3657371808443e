using System.Diagnostics.Metrics;
using Sluice.Protocol;

namespace Sluice.ReplayLog.Tests;

public sealed class InMemoryReplayLogTests : ReplayLogContractTests
{
    protected override bool CompletesSynchronously => true;

    protected override Task<IReplayLog> CreateLogCoreAsync(ReplayLogOptions options, IMeterFactory? meterFactory) =>
        Task.FromResult<IReplayLog>(new InMemoryReplayLog(options, meterFactory));

    [Fact]
    public async Task Append_NoWaiterAndNoGrowth_AllocatesNothing()
    {
        var log = await LogWithAsync(new ReplayLogOptions { MaxEventsPerStream = 1000 }, Id, TestStreams.OpenAnswer(599));
        var events = Enumerable.Range(600, 400).Select(seq => new SequencedEvent(seq, new TokenEvent("tok"))).ToArray();

        // 600 held events have grown the ring to its full 1000 slots, so the next 400 neither grow it nor evict.
        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var evt in events)
        {
            Assert.True(log.AppendAsync(Id, evt, Ct).IsCompletedSuccessfully);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
