using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Sluice.AspNetCore.Validation;
using Sluice.Protocol;
using Sluice.ReplayLog;

namespace Sluice.AspNetCore;

/// <summary>The runs this node owns, by id, from start until their retention ends.</summary>
/// <remarks>Thread-safe; a singleton per application.</remarks>
internal sealed partial class RunRegistry(
    IStreamSource source,
    IReplayLog log,
    SluiceOptions options,
    SluiceMetrics metrics,
    LoadLimiter limits,
    TimeProvider timeProvider,
    ILoggerFactory loggerFactory)
{
    private readonly ConcurrentDictionary<string, StreamRun> _runs = new(StringComparer.Ordinal);
    private readonly ILogger _runLogger = loggerFactory.CreateLogger<StreamRun>();
    private readonly ILogger _registryLogger = loggerFactory.CreateLogger<RunRegistry>();

    public int Count => _runs.Count;

    /// <summary>Creates a run under a fresh id, with its log, and starts its upstream call.</summary>
    /// <param name="request">What to ask the provider.</param>
    /// <param name="owner">Who may read and cancel the run.</param>
    /// <param name="resumeToken">The token of an anonymous owner, for the <c>start</c> event.</param>
    /// <param name="callerKey">
    /// The key the caller admitted the run under (<see cref="LoadLimiter.TryStartRun"/>): the registry ends it with
    /// <see cref="LoadLimiter.EndRun"/> when the run finishes, or at once if it cannot be started.
    /// </param>
    /// <param name="cancellationToken">Cancels creating the log; once started, the run ignores it.</param>
    public async Task<StreamRun> StartAsync(StreamRequest request, RunOwner owner, string? resumeToken, string? callerKey, CancellationToken cancellationToken)
    {
        var run = new StreamRun(StreamIds.NewId(), owner, log, options.Backpressure, timeProvider, metrics, _runLogger);
        try
        {
            await log.CreateAsync(run.Id, cancellationToken);
            if (!_runs.TryAdd(run.Id, run))
            {
                // 128 random bits do not collide in practice; failing loudly beats serving someone else's stream.
                throw new InvalidOperationException("Stream id collision.");
            }
        }
        catch
        {
            limits.EndRun(callerKey);
            run.Dispose();
            throw;
        }

        run.Start(source, request, resumeToken, new OutputValidator(request, timeProvider, options.Runs.PartialValueInterval));
        metrics.RunStarted();
        using (ExecutionContext.SuppressFlow()) // As for the run itself: the request's ambient state stays with the request.
        {
            _ = ForgetAfterRetentionAsync(run, callerKey);
        }

        return run;
    }

    public bool TryGet(string id, out StreamRun? run) => _runs.TryGetValue(id, out run);

    private async Task ForgetAfterRetentionAsync(StreamRun run, string? callerKey)
    {
        await run.Completion;
        limits.EndRun(callerKey); // A finished run no longer counts against the limits; its log does, until removed.

        // Counted from the moment the run finished, not from when this continuation got to run.
        var remaining = options.Runs.Retention - timeProvider.GetElapsedTime(run.CompletedAt);
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining, timeProvider);
        }

        _runs.TryRemove(run.Id, out _);
        try
        {
            await log.RemoveAsync(run.Id);
        }
#pragma warning disable CA1031 // Nobody awaits this task: a failure is logged, and the run is forgotten regardless.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.RemoveFailed(_registryLogger, ex, run.Id);
        }
        finally
        {
            run.Dispose();
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Stream {StreamId}: removing it from the replay log failed after its retention ended.")]
        public static partial void RemoveFailed(ILogger logger, Exception exception, string streamId);
    }
}
