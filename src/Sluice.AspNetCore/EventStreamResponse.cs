using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Sluice.Protocol;

namespace Sluice.AspNetCore;

/// <summary>Sends one subscriber's view of a run as the HTTP response; shared by start and resume.</summary>
internal sealed class EventStreamResponse(RunSubscriber subscriber, SluiceOptions options, FaultSwitch faults, IHostApplicationLifetime lifetime, LoadLimiter limits)
{
    /// <summary>
    /// 1. Attach to the run (calling off a pending grace expiry).
    /// 2. Send the event-stream headers; from here on, every failure is an event, not a status code.
    /// 3. Stream from <paramref name="afterSeq"/> + 1 to the terminal event (or, with the fault switch on, cut the
    ///    response after N events).
    /// 4. Detach: if this was the last reader and the run goes on, its grace period starts; and give back the
    ///    subscriber slot the caller reserved (<see cref="LoadLimiter.TryOpenSubscriber"/>) for this response.
    /// </summary>
    public async Task SendAsync(HttpContext context, StreamRun run, long afterSeq, Action<HttpResponse>? addHeaders = null)
    {
        run.Attach();
        try
        {
            var response = context.Response;
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = SluiceHeaders.EventStreamMediaType;
            response.Headers.CacheControl = "no-cache, no-transform";
            response.Headers["X-Accel-Buffering"] = "no"; // nginx: do not buffer this response.
            response.Headers[SluiceHeaders.StreamId] = run.Id;
            addHeaders?.Invoke(response);

            // Compression buffers output and would hold tokens back; an event stream is sent as it is produced.
            context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            await response.StartAsync(context.RequestAborted);

            // The reader's own lifetime: the request, and the host's (a stopping host ends subscribers, not runs).
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            try
            {
                var cutAfterEvents = faults.CutAfterEvents;
                if (await subscriber.StreamAsync(run.Id, response.BodyWriter, afterSeq, linked.Token, cutAfterEvents))
                {
                    // Fault injection (Sluice:Faults:CutAfterEvents). An error after the response started makes Kestrel
                    // end it abruptly once what was flushed is sent (HTTP/1.1: the connection closes without the final
                    // chunk; HTTP/2: the stream is reset). HttpContext.Abort() would be abrupt too, but it drops
                    // whatever the transport has not sent yet, often the headers and events themselves.
                    throw new FaultInjectedException(cutAfterEvents);
                }
            }
            catch (OperationCanceledException) when (linked.IsCancellationRequested)
            {
                // The client left: a detach, not a cancellation of the run.
            }
        }
        finally
        {
            run.Detach(options.Runs.DetachedGrace);
            limits.CloseSubscriber();
        }
    }
}
