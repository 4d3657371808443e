using System.Buffers;
using System.IO.Pipelines;
using Sluice.Protocol;
using Sluice.ReplayLog;

namespace Sluice.AspNetCore;

/// <summary>
/// Copies a stream's events from the replay log to one HTTP response as SSE frames: everything after the reader's
/// position (or a snapshot where the log has evicted it), then live events as they are appended, with heartbeat
/// comments while the stream is quiet.
/// </summary>
internal sealed class RunSubscriber(IReplayLog log, SluiceOptions options, SluiceMetrics metrics, TimeProvider timeProvider)
{
    // Events read from the log per call: enough to catch up in few round trips (Redis) without holding much.
    private const int ReadBatch = 64;

    // Bytes buffered before a flush while catching up, so a long backlog is not held whole in the pipe.
    private const long FlushThresholdBytes = 32 * 1024;

    /// <summary>Streams from <paramref name="afterSeq"/> + 1 until the terminal event or until the client leaves.</summary>
    /// <param name="streamId">The run.</param>
    /// <param name="reader">This reader, attached to the run: told how far it has got (the run's backpressure reads it).</param>
    /// <param name="output">The response body.</param>
    /// <param name="frames">The encoding on the wire (the native protocol or a dialect).</param>
    /// <param name="afterSeq">The reader's position: the seq of the last event it has (-1 for none).</param>
    /// <param name="deadline">Bounds each flush by <see cref="SluiceOptions.SendTimeout"/> (and by the reader's lifetime).</param>
    /// <param name="cancellationToken">The reader's lifetime (the request and the host).</param>
    /// <param name="cutAfterEvents">Fault injection (<see cref="FaultSwitch"/>): when positive, stop after writing (and flushing) this many non-terminal events.</param>
    /// <returns>
    /// <see cref="SubscriberEnd.Cut"/> when it stopped because of <paramref name="cutAfterEvents"/> (the caller then cuts
    /// the response); <see cref="SubscriberEnd.Stopped"/> when <paramref name="cancellationToken"/> ended it before the
    /// terminal event (it may also throw <see cref="OperationCanceledException"/> then); <see cref="SubscriberEnd.TimedOut"/>
    /// when a flush waited longer than the send timeout (the caller then drops the connection); otherwise
    /// <see cref="SubscriberEnd.Finished"/>: the terminal event is written, the client is gone, or the stream was removed.
    /// </returns>
    public async Task<SubscriberEnd> StreamAsync(string streamId, RunReader reader, PipeWriter output, StreamFrameWriter frames, long afterSeq, SendDeadline deadline, CancellationToken cancellationToken, int cutAfterEvents = 0)
    {
        var written = 0;
        var cursor = afterSeq;
        var firstBatch = true;
        var coalesce = options.Backpressure.CoalesceLaggingReaders;
        SequencedEvent[]? batch = null;
        var used = 0; // How much of the batch holds events: all that must be cleared before it goes back to the pool.
        using var heartbeat = new HeartbeatTicker(timeProvider, options.HeartbeatInterval);
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                // 1. Write what the log already holds after the cursor (a snapshot first if the cursor was evicted).
                batch ??= ArrayPool<SequencedEvent>.Shared.Rent(ReadBatch);
                var read = await log.ReadAsync(streamId, cursor, batch.AsMemory(0, ReadBatch), cancellationToken);
                used = Math.Max(used, read.Count);
                if (!read.Found)
                {
                    return SubscriberEnd.Finished; // Removed (retention ended) while reading: the client's next request gets 404.
                }

                if (read.StartsWithSnapshot)
                {
                    metrics.SnapshotSent();
                }

                for (var i = 0; i < read.Count;)
                {
                    // Several events at once means the reader lags: fragments already waiting go out as one.
                    var evt = batch[i];
                    i += coalesce ? EventCoalescer.Join(batch, i, read.Count, out evt) : 1;
                    frames.Write(output, evt);
                    cursor = evt.Seq;
                    reader.Advance(cursor);
                    if (evt.Event.IsTerminal)
                    {
                        await deadline.FlushAsync(output);
                        return SubscriberEnd.Finished;
                    }

                    if (cutAfterEvents > 0 && ++written == cutAfterEvents)
                    {
                        await deadline.FlushAsync(output);
                        return SubscriberEnd.Cut;
                    }

                    if (output.CanGetUnflushedBytes && output.UnflushedBytes >= FlushThresholdBytes && await IsClientGoneAfterFlushAsync(output, deadline))
                    {
                        return SubscriberEnd.Finished;
                    }
                }

                // More is waiting in the log: keep encoding and let the byte threshold above pace the flushes, except
                // after the first batch, which is flushed at once so a resuming reader sees data without waiting for
                // the backlog to be encoded.
                var more = read.Count == ReadBatch;
                if (more && !firstBatch)
                {
                    continue;
                }

                firstBatch = false;

                if (read.IsComplete && cursor >= read.Head)
                {
                    // The reader already holds the terminal event (it resumed at the very end): nothing will follow.
                    await deadline.FlushAsync(output);
                    return SubscriberEnd.Finished;
                }

                // 2. Flush per batch: when caught up a batch is one event, so the client sees each token as it is made.
                if (await IsClientGoneAfterFlushAsync(output, deadline))
                {
                    return SubscriberEnd.Finished;
                }

                if (more)
                {
                    continue;
                }

                // 3. Wait for the next event, with a heartbeat whenever the stream stays quiet for a whole interval
                //    (the comment is flushed by step 2 of the next pass, which finds nothing new to read). The batch
                //    goes back to the pool meanwhile: a reader that keeps up spends its life here, and thousands of
                //    them should not each hold one.
                ReturnBatch(ref batch, ref used);
                var appended = log.WaitForEventAfterAsync(streamId, cursor, cancellationToken);
                if (appended.IsCompleted)
                {
                    await appended;
                    continue;
                }

                var appendedTask = appended.AsTask();
                if (await Task.WhenAny(appendedTask, heartbeat.NextTick) == appendedTask)
                {
                    await appendedTask;
                    continue;
                }

                heartbeat.Reset();
                frames.WriteHeartbeat(output);
            }

            return SubscriberEnd.Stopped;
        }
        catch (OperationCanceledException) when (deadline.TimedOut)
        {
            // The client accepted nothing for the send timeout: its connection is dropped, the run goes on. (Kestrel may
            // already have aborted it on the cancelled flush, so the request's token may be cancelled too by now.)
            metrics.SendTimedOut();
            return SubscriberEnd.TimedOut;
        }
        finally
        {
            ReturnBatch(ref batch, ref used);
        }
    }

    private static void ReturnBatch(ref SequencedEvent[]? batch, ref int used)
    {
        if (batch is not null)
        {
            // Cleared, so the pooled array keeps no stream's events alive; only what was used (usually one event).
            batch.AsSpan(0, used).Clear();
            ArrayPool<SequencedEvent>.Shared.Return(batch);
            batch = null;
            used = 0;
        }
    }

    private static async ValueTask<bool> IsClientGoneAfterFlushAsync(PipeWriter output, SendDeadline deadline)
    {
        var result = await deadline.FlushAsync(output);
        return result.IsCompleted || result.IsCanceled;
    }
}
