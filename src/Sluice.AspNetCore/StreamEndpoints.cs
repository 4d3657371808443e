using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Net.Http.Headers;
using Sluice.Protocol;

namespace Sluice.AspNetCore;

/// <summary>The HTTP handlers of the native protocol (<c>docs/PROTOCOL.md</c>).</summary>
internal static class StreamEndpoints
{
    /// <summary>
    /// <c>POST /v1/streams</c>: validates the body, starts a run and streams it as the response.
    /// </summary>
    /// <remarks>
    /// 1. Reject a wrong content type (415) or an oversized body (413) before parsing.
    /// 2. Parse and validate the body (400 naming the position or the fields).
    /// 3. Start the run; from here on, failures are <c>error</c> events, not status codes.
    /// 4. Send the headers and stream the run to this connection as its first subscriber.
    /// 5. If the connection leaves before the end, detach it from the run.
    /// </remarks>
    public static async Task StartAsync(HttpContext context, RunRegistry runs, RunSubscriber subscriber, SluiceOptions options, IHostApplicationLifetime lifetime)
    {
        var request = context.Request;
        if (!IsJson(request.ContentType))
        {
            await Problems.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"The body must be application/json, not '{request.ContentType ?? "(none)"}'.");
            return;
        }

        if (request.ContentLength > options.MaxRequestBodyBytes)
        {
            await Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                $"The body is {request.ContentLength} bytes; at most {options.MaxRequestBodyBytes} are accepted.");
            return;
        }

        var reader = request.BodyReader;
        ReadResult read;
        while (true)
        {
            read = await reader.ReadAsync(context.RequestAborted);
            if (read.Buffer.Length > options.MaxRequestBodyBytes)
            {
                reader.AdvanceTo(read.Buffer.Start);
                await Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
                    $"The body exceeds the limit of {options.MaxRequestBodyBytes} bytes.");
                return;
            }

            if (read.IsCompleted)
            {
                break;
            }

            // Keep everything buffered until the body is complete: JsonDocument parses one contiguous sequence.
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        var parsed = StreamRequestParser.Parse(read.Buffer);
        reader.AdvanceTo(read.Buffer.End);
        if (parsed.SyntaxError is { } syntaxError)
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, "Malformed request body", syntaxError);
            return;
        }

        if (parsed.FieldErrors is { } fieldErrors)
        {
            await Problems.WriteValidationAsync(context, fieldErrors);
            return;
        }

        var run = runs.Start(parsed.Request!);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = SluiceHeaders.EventStreamMediaType;
        response.Headers.CacheControl = "no-cache, no-transform";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx: do not buffer this response.
        response.Headers[SluiceHeaders.StreamId] = run.Id;
        response.Headers.Location = $"{request.PathBase}{request.Path}/{run.Id}";

        // Compression buffers output and would hold tokens back; an event stream is sent as it is produced.
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(context.RequestAborted);

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var finished = false;
        try
        {
            finished = await subscriber.StreamAsync(run, response.BodyWriter, afterSeq: -1, linked.Token);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            // The client left (or the host is stopping): a detach, handled below.
        }
        finally
        {
            if (!finished)
            {
                RunRegistry.Detach(run);
            }
        }
    }

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && (mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
}
