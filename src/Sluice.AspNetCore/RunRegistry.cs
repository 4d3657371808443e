using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Sluice.AspNetCore.Validation;
using Sluice.Protocol;
using Sluice.ReplayLog;

namespace Sluice.AspNetCore;

/// <summary>
/// The runs this node owns, by id, from start until their retention ends; and, through the <see cref="IRunDirectory"/>,
/// the runs of other nodes that share the log.
/// </summary>
/// <remarks>Thread-safe; a singleton per application.</remarks>
internal sealed partial class RunRegistry(
    IStreamSource source,
    IReplayLog log,
    IRunDirectory directory,
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

            try
            {
                // Other nodes learn the run's owner from here, and forward DELETEs and readers to this node.
                await directory.RegisterAsync(run.Id, owner.ToRecord(), notice => OnNotice(run, notice), cancellationToken);
            }
            catch
            {
                _runs.TryRemove(run.Id, out _); // Never started; its log's keys expire by themselves.
                throw;
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

    /// <summary>A run this node owns.</summary>
    public bool TryGet(string id, out StreamRun? run) => _runs.TryGetValue(id, out run);

    /// <summary>A run wherever it runs: this node's own, else one another node registered in the directory.</summary>
    /// <returns><see langword="null"/> when no node has it.</returns>
    /// <exception cref="ReplayLogUnavailableException">The directory's store cannot be reached.</exception>
    public async ValueTask<IRunHandle?> FindAsync(string id, CancellationToken cancellationToken)
    {
        if (_runs.TryGetValue(id, out var local))
        {
            return local;
        }

        return await directory.FindAsync(id, cancellationToken) is { } record ? new RemoteRun(record, directory) : null;
    }

    /// <summary>Applies what another node forwarded about a run of this node.</summary>
    private void OnNotice(StreamRun run, RunNotice notice)
    {
        switch (notice)
        {
            case RunNotice.Cancel:
                run.Cancel(RunCancellationCause.Deleted);
                break;
            case RunNotice.Attach:
                run.AttachRemote();
                break;
            case RunNotice.Detach:
                run.DetachRemote(options.Runs.DetachedGrace);
                break;
        }
    }

    private async Task ForgetAfterRetentionAsync(StreamRun run, string? callerKey)
    {
        await run.Completion;
        directory.Release(run.Id); // Its log has its terminal event: no lease needed, nothing left to forward.
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
