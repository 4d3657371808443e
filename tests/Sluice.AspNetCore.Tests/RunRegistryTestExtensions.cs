using Sluice.Protocol;

namespace Sluice.AspNetCore.Tests;

internal static class RunRegistryTestExtensions
{
    public static StreamRun TryGetRun(this RunRegistry runs, HttpResponseMessage started) =>
        runs.TryGet(started.Headers.GetValues(SluiceHeaders.StreamId).Single(), out var run) ? run! : throw new InvalidOperationException("No such run.");
}
