using System.Buffers;
using System.IO.Pipelines;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Sluice.AspNetCore;

/// <summary>
/// Reads a JSON request body whole (within <see cref="SluiceOptions.MaxRequestBodyBytes"/>) and hands it to a parser;
/// shared by every endpoint that starts a run (the native protocol and the dialects), so they refuse alike.
/// </summary>
internal static class JsonRequestBody
{
    /// <summary>
    /// Refuses a wrong content type (415) or an oversized body (413) with a problem document, before parsing;
    /// otherwise parses the complete body with <paramref name="parse"/>.
    /// </summary>
    /// <returns>The parser's result, or <see langword="default"/> when a problem was written.</returns>
    public static async Task<T?> ReadAsync<T>(HttpContext context, SluiceOptions options, Func<ReadOnlySequence<byte>, T> parse)
        where T : class
    {
        var request = context.Request;
        if (!IsJson(request.ContentType))
        {
            await Problems.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, "Unsupported media type",
                $"The body must be application/json, not '{request.ContentType ?? "(none)"}'.");
            return null;
        }

        if (request.ContentLength > options.MaxRequestBodyBytes)
        {
            await WriteTooLargeAsync(context, options);
            return null;
        }

        var reader = request.BodyReader;
        ReadResult read;
        while (true)
        {
            read = await reader.ReadAsync(context.RequestAborted);
            if (read.Buffer.Length > options.MaxRequestBodyBytes)
            {
                reader.AdvanceTo(read.Buffer.Start);
                await WriteTooLargeAsync(context, options);
                return null;
            }

            if (read.IsCompleted)
            {
                break;
            }

            // Keep everything buffered until the body is complete: JsonDocument parses one contiguous sequence.
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        try
        {
            return parse(read.Buffer);
        }
        finally
        {
            reader.AdvanceTo(read.Buffer.End);
        }
    }

    private static Task WriteTooLargeAsync(HttpContext context, SluiceOptions options) =>
        Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large",
            $"The body exceeds the limit of {options.MaxRequestBodyBytes} bytes.");

    private static bool IsJson(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var mediaType)
        && (mediaType.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
}
