using System.Diagnostics.Metrics;

namespace Sluice.ReplayLog.Tests;

public sealed class InMemoryReplayLogConcurrencyTests : ReplayLogConcurrencyContractTests
{
    protected override bool CompletesSynchronously => true;

    protected override Task<IReplayLog> CreateLogCoreAsync(ReplayLogOptions options, IMeterFactory? meterFactory) =>
        Task.FromResult<IReplayLog>(new InMemoryReplayLog(options, meterFactory));
}
