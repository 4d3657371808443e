using System.Runtime.CompilerServices;
using System.Text.Json;
using Anthropic;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using Sluice.Protocol;

namespace Sluice.Providers.Anthropic;

/// <summary>
/// Streams one Messages API call through the official SDK and maps its raw events to Sluice's: text and thinking deltas,
/// client tool calls (server tools are the provider's business and are skipped), structured output, usage, and faults.
/// </summary>
/// <remarks>Thread-safe: each call keeps its own state; the SDK client is shared.</remarks>
internal sealed class AnthropicStreamSource : IStreamSource
{
    private readonly IAnthropicClient _client;
    private readonly AnthropicProviderOptions _options;

    public AnthropicStreamSource(IAnthropicClient client, AnthropicProviderOptions options)
    {
        _client = client;
        _options = options;
    }

    public string DefaultModel => _options.Model;

    public async IAsyncEnumerable<StreamEvent> StreamAsync(StreamRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parameters = AnthropicRequestMapper.Map(request, _options);
        var state = new AnthropicStreamState(AnthropicRequestMapper.ResponseToolName(request));
        var capture = new ResponseCapture();
        ResponseCapture.Current = capture;

        // The token goes to the SDK, which links it into the HTTP call: cancelling aborts the request and the body read.
        var enumerator = _client.Messages.CreateStreaming(parameters, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                RawMessageStreamEvent raw;
                ErrorEvent? failure;
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }

                    raw = enumerator.Current;
                    failure = null;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && Classify(ex, capture) is { } error)
                {
                    raw = null!;
                    failure = error;
                }

                if (failure is not null)
                {
                    yield return failure;
                    yield break;
                }

                foreach (var evt in state.Map(raw))
                {
                    yield return evt;
                }

                if (state.Finished)
                {
                    yield return state.Done();
                    yield break;
                }
            }
        }
        finally
        {
            await enumerator.DisposeAsync().ConfigureAwait(false);

            // Closing the response is what aborts an unfinished stream (cancelled, or left by the caller): the provider
            // sees the connection go and stops generating.
            capture.Response?.Dispose();
        }

        // The body ended without message_stop: whatever arrived may be only part of the answer.
        yield return UpstreamErrors.Truncated();
    }

    private static ErrorEvent? Classify(Exception exception, ResponseCapture capture) => exception switch
    {
        AnthropicSseException sse => InStream(sse),
        AnthropicApiException api => UpstreamErrors.FromStatus((int)api.StatusCode, capture.RetryAfter, ProviderMessage(api.ResponseBody)),
        _ => UpstreamErrors.FromException(exception),
    };

    private static ErrorEvent InStream(AnthropicSseException exception)
    {
        // The SDK throws on `event: error` and keeps the event's JSON only in its message: "...: '{json}'".
        var (type, message) = ReadError(exception.Message);
        type ??= UpstreamErrors.UpstreamErrorCode;
        return UpstreamErrors.InStream(type, message, retryable: type is "overloaded_error" or "api_error" or "rate_limit_error");
    }

    private static string? ProviderMessage(string? body) => ReadError(body).Message ?? body;

    private static (string? Type, string? Message) ReadError(string? text)
    {
        var start = text?.IndexOf('{', StringComparison.Ordinal) ?? -1;
        var end = text?.LastIndexOf('}') ?? -1;
        if (text is null || start < 0 || end < start)
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(text.AsMemory(start, end - start + 1));
            if (document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return (StringProperty(error, "type"), StringProperty(error, "message"));
            }
        }
        catch (JsonException)
        {
            // Not the JSON we expected: fall back to the SDK's own classification.
        }

        return (null, null);
    }

    private static string? StringProperty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
