using System.Diagnostics.Metrics;
using Sluice.Protocol;

namespace Sluice.ReplayLog.Tests;

/// <summary>
/// What the <see cref="IReplayLog"/> contract tests need from an implementation: a fresh, empty log per call. A
/// derived class per implementation runs the same tests against it.
/// </summary>
/// <remarks>These files are compiled into every implementation's test project, so they use the public contract only.</remarks>
public abstract class ReplayLogTestBase : IAsyncDisposable
{
    private readonly List<IReplayLog> _logs = [];

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>
    /// Whether a call that needs no waiting (a wait already satisfied, a wait on a complete or unknown stream)
    /// completes synchronously; an implementation over the network completes it after a round trip instead.
    /// </summary>
    protected virtual bool CompletesSynchronously => false;

    /// <summary>A new, empty log with these bounds, reporting on the factory's meters when one is given.</summary>
    protected abstract Task<IReplayLog> CreateLogCoreAsync(ReplayLogOptions options, IMeterFactory? meterFactory);

    /// <summary>
    /// Another view of the same log, as another node would have it (the same log for a single-node implementation):
    /// readers that read from it see what writers append to <paramref name="log"/>.
    /// </summary>
    protected virtual Task<IReplayLog> OtherNodeAsync(IReplayLog log) => Task.FromResult(log);

    /// <summary>A new, empty log, disposed (if it is disposable) after the test.</summary>
    protected async Task<IReplayLog> CreateLogAsync(ReplayLogOptions? options = null, IMeterFactory? meterFactory = null)
    {
        var log = await CreateLogCoreAsync(options ?? ReplayLogOptions.Default, meterFactory);
        Track(log);
        return log;
    }

    /// <summary>A new log holding one stream with these events (seq 0 on).</summary>
    protected async Task<IReplayLog> LogWithAsync(ReplayLogOptions options, string streamId, IEnumerable<StreamEvent> events, IMeterFactory? meterFactory = null) =>
        await (await CreateLogAsync(options, meterFactory)).WithAsync(streamId, events);

    /// <summary>Disposes the log after the test.</summary>
    protected void Track(IReplayLog log) => _logs.Add(log);

    /// <summary>Asserts that a call needing no wait completes at once: synchronously where the log can, else promptly.</summary>
    protected async Task AssertCompletesAtOnceAsync(ValueTask pending)
    {
        if (CompletesSynchronously)
        {
            Assert.True(pending.IsCompletedSuccessfully);
        }

        // Promptly: no event will come to end it, so a wait that is not over by then never would be.
        await pending.AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var log in _logs)
        {
            if (log is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }

        GC.SuppressFinalize(this);
    }
}
