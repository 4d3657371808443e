using System.IO.Pipelines;
using Sluice.Protocol;

namespace Sluice.AspNetCore;

/// <summary>
/// Copies a run's events to one HTTP response as SSE frames: everything after the subscriber's position, then live
/// events as they are appended, with heartbeat comments while the run is quiet.
/// </summary>
internal sealed class RunSubscriber(SluiceOptions options, TimeProvider timeProvider)
{
    // Bytes buffered before a flush while catching up, so a long backlog is not held whole in the pipe.
    private const long FlushThresholdBytes = 32 * 1024;

    /// <summary>Streams from <paramref name="afterSeq"/> + 1 until the terminal event or until the client leaves.</summary>
    /// <returns>Whether the terminal event was written (false: the client left first).</returns>
    public async Task<bool> StreamAsync(StreamRun run, PipeWriter output, long afterSeq, CancellationToken cancellationToken)
    {
        var encoder = new StreamEventEncoder();
        var retry = (TimeSpan?)options.ClientRetry;
        var cursor = afterSeq;
        using var heartbeat = new HeartbeatTicker(timeProvider, options.HeartbeatInterval);

        while (!cancellationToken.IsCancellationRequested)
        {
            // 1. Write everything already appended.
            while (run.TryGet(cursor + 1, out var evt))
            {
                encoder.Write(output, evt, retry);
                retry = null; // Spec (PROTOCOL.md): only the first frame of a response carries retry.
                cursor = evt.Seq;
                if (evt.Event.IsTerminal)
                {
                    await output.FlushAsync(cancellationToken);
                    return true;
                }

                if (output.CanGetUnflushedBytes && output.UnflushedBytes >= FlushThresholdBytes && await FlushAsync(output, cancellationToken))
                {
                    return false;
                }
            }

            // 2. Flush per batch: when caught up, a batch is one event, so the client sees each token as it is made.
            if (await FlushAsync(output, cancellationToken))
            {
                return false;
            }

            // 3. Wait for the next event, with a heartbeat whenever the run stays quiet for a whole interval.
            var appended = run.WaitForEventAfterAsync(cursor);
            if (!appended.IsCompleted)
            {
                var first = await Task.WhenAny(appended, heartbeat.NextTick).WaitAsync(cancellationToken);
                if (first != appended)
                {
                    heartbeat.Reset();
                    StreamEventEncoder.WriteComment(output, "keep-alive");
                }
            }
        }

        return false;
    }

    /// <returns>Whether the client is gone.</returns>
    private static async ValueTask<bool> FlushAsync(PipeWriter output, CancellationToken cancellationToken)
    {
        var result = await output.FlushAsync(cancellationToken);
        return result.IsCompleted || result.IsCanceled;
    }
}
