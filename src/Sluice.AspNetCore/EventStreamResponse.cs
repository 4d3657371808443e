using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Sluice.Protocol;
using Sluice.ReplayLog;

namespace Sluice.AspNetCore;

/// <summary>Sends one subscriber's view of a run as the HTTP response; shared by start and resume.</summary>
internal sealed class EventStreamResponse(
    RunSubscriber subscriber,
    SluiceOptions options,
    FaultSwitch faults,
    IHostApplicationLifetime lifetime,
    LoadLimiter limits,
    SluiceMetrics metrics,
    TimeProvider timeProvider)
{
    /// <summary>
    /// Serves a resume of <paramref name="run"/>, the same for the native protocol and every dialect: the position
    /// (<c>Last-Event-ID</c> or <c>?after=</c> when <paramref name="readPosition"/>, else the whole run; 400 when it is
    /// invalid), a subscriber slot under <c>Sluice:Limits</c> (503 with <c>Retry-After</c>), then <see cref="SendAsync"/>.
    /// </summary>
    public async Task ResumeAsync(HttpContext context, IRunHandle run, bool readPosition, StreamFrameWriter frames, Action<HttpResponse>? addHeaders = null)
    {
        var afterSeq = -1L;
        if (readPosition && !StreamEndpoints.TryReadPosition(context.Request, run.Head, out afterSeq, out var error))
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "Invalid stream position", error);
            return;
        }

        if (limits.TryOpenSubscriber() is { } refusal)
        {
            await refusal.WriteAsync(context);
            return;
        }

        metrics.RunResumed();
        await SendAsync(context, run, afterSeq, frames, addHeaders);
    }

    /// <summary>
    /// 1. Attach to the run (calling off a pending grace expiry).
    /// 2. Send the event-stream headers; from here on, every failure is an event, not a status code.
    /// 3. Stream, encoded by <paramref name="frames"/>, from <paramref name="afterSeq"/> + 1 to the terminal event (or, with the fault switch on, cut the
    ///    response after N events).
    ///    When the host stops (<see cref="IHostApplicationLifetime.ApplicationStopping"/>) first, end with the shutdown
    ///    frame (a comment and <c>retry:</c>) and a clean end of the response, so the client resumes, elsewhere.
    ///    A reader that takes no bytes for <see cref="SluiceOptions.SendTimeout"/> is dropped (the connection aborted).
    /// 4. Detach: if this was the last reader and the run goes on, its grace period starts; and give back the
    ///    subscriber slot the caller reserved (<see cref="LoadLimiter.TryOpenSubscriber"/>) for this response.
    /// </summary>
    public async Task SendAsync(HttpContext context, IRunHandle run, long afterSeq, StreamFrameWriter frames, Action<HttpResponse>? addHeaders = null)
    {
        var reader = run.Attach(afterSeq);
        try
        {
            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = frames.ContentType;
            response.Headers.CacheControl = "no-cache, no-transform";
            response.Headers["X-Accel-Buffering"] = "no"; // nginx: do not buffer this response.
            response.Headers[SluiceHeaders.StreamId] = run.Id;
            addHeaders?.Invoke(response);

            // Compression buffers output and would hold tokens back; an event stream is sent as it is produced.
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await response.StartAsync(context.RequestAborted);

            // The reader's own lifetime: the request, and the host's (a stopping host ends subscribers, not runs).
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            using var deadline = new SendDeadline(options.SendTimeout, timeProvider, linked.Token);
            var cutAfterEvents = faults.CutAfterEvents;
            SubscriberEnd end;
            try
            {
                end = await subscriber.StreamAsync(run.Id, reader, response.BodyWriter, frames, afterSeq, deadline, linked.Token, cutAfterEvents);
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                end = SubscriberEnd.Stopped; // A detach, not a cancellation of the run.
            }
            catch (ReplayLogUnavailableException)
            {
                // The shared log (Redis) is unreachable: end the response cleanly, without a terminal event, so the
                // client resumes with Last-Event-ID; until the log is back, that request gets 503 with Retry-After.
                StreamEventEncoder.WriteComment(response.BodyWriter, "replay log unavailable: reconnect with Last-Event-ID");
                try
                {
                    await response.BodyWriter.FlushAsync(context.RequestAborted);
                }
                catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
                {
                    // The client left meanwhile.
                }

                return;
            }

            if (end == SubscriberEnd.Cut)
            {
                // Fault injection (Sluice:Faults:CutAfterEvents). An error after the response started makes Kestrel
                // end it abruptly once what was flushed is sent (HTTP/1.1: the connection closes without the final
                // chunk; HTTP/2: the stream is reset). HttpContext.Abort() would be abrupt too, but it drops
                // whatever the transport has not sent yet, often the headers and events themselves.
                throw new FaultInjectedException(cutAfterEvents);
            }

            if (end == SubscriberEnd.TimedOut)
            {
                // Sluice:SendTimeout: drop the connection (whatever is still buffered for it goes too); the run goes on
                // and the reader may resume with Last-Event-ID.
                context.Abort();
                return;
            }

            if (end == SubscriberEnd.Stopped && lifetime.ApplicationStopping.IsCancellationRequested && !context.RequestAborted.IsCancellationRequested)
            {
                await SayGoodbyeAsync(response.BodyWriter, frames, context.RequestAborted);
            }
        }
        finally
        {
            run.Detach(reader, options.Runs.DetachedGrace);
            limits.CloseSubscriber();
        }
    }

    /// <summary>Writes the shutdown frame; the caller then ends the response normally (not a cut).</summary>
    private async Task SayGoodbyeAsync(PipeWriter output, StreamFrameWriter frames, CancellationToken requestAborted)
    {
        frames.WriteShutdown(output);

        // Not under the stopping host's token (it has fired): the request's, and the send timeout for a stalled reader.
        using var deadline = new SendDeadline(options.SendTimeout, timeProvider, requestAborted);
        try
        {
            await deadline.FlushAsync(output);
        }
        catch (OperationCanceledException) when (requestAborted.IsCancellationRequested || deadline.TimedOut)
        {
            // The client left (or the server's shutdown timeout aborted the connection) while the frame was on its way,
            // or it takes no bytes: Kestrel's drain closes it.
        }
    }
}
