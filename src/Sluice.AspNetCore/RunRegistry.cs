using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Sluice.Protocol;

namespace Sluice.AspNetCore;

/// <summary>The runs this node owns, by id.</summary>
/// <remarks>Thread-safe; a singleton per application.</remarks>
internal sealed class RunRegistry(IStreamSource source, ILoggerFactory loggerFactory)
{
    private readonly ConcurrentDictionary<string, StreamRun> _runs = new(StringComparer.Ordinal);
    private readonly ILogger _runLogger = loggerFactory.CreateLogger<StreamRun>();

    public int Count => _runs.Count;

    /// <summary>Creates a run under a fresh id and starts its upstream call.</summary>
    public StreamRun Start(StreamRequest request)
    {
        var run = new StreamRun(StreamIds.NewId(), _runLogger);
        if (!_runs.TryAdd(run.Id, run))
        {
            // 128 random bits do not collide in practice; failing loudly beats serving someone else's stream.
            throw new InvalidOperationException("Stream id collision.");
        }

        run.Start(source, request);
        _ = ForgetWhenCompleteAsync(run);
        return run;
    }

    public bool TryGet(string id, out StreamRun? run) => _runs.TryGetValue(id, out run);

    /// <summary>The last reader left before the end: nobody can resume yet, so the upstream call is cancelled.</summary>
    public static void Detach(StreamRun run) => run.Cancel();

    private async Task ForgetWhenCompleteAsync(StreamRun run)
    {
        await run.Completion;
        _runs.TryRemove(run.Id, out _);
        run.Dispose();
    }
}
