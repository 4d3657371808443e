using System.ClientModel;
using System.Runtime.CompilerServices;
using OpenAI.Responses;
using Sluice.Protocol;

namespace Sluice.Providers.OpenAI;

/// <summary>Streams from OpenAI's Responses API (<c>POST {base}/responses</c>).</summary>
/// <remarks>
/// Text deltas become tokens; a function call output item opens a tool call, its argument deltas stream verbatim,
/// and <c>function_call_arguments.done</c> (or the item's <c>output_item.done</c>) ends it. <c>response.completed</c>
/// and <c>response.incomplete</c> are the only clean ends; <c>error</c> and <c>response.failed</c> end with an error,
/// and a stream that stops without any of them is truncated. Thread-safe: each call has its own state.
/// </remarks>
internal sealed class ResponsesStreamSource : IStreamSource
{
    private readonly ResponsesClient _client;
    private readonly TimeProvider _timeProvider;

    public ResponsesStreamSource(ResponsesClient client, string defaultModel, TimeProvider timeProvider)
    {
        _client = client;
        DefaultModel = defaultModel;
        _timeProvider = timeProvider;
    }

    public string DefaultModel { get; }

    public async IAsyncEnumerable<StreamEvent> StreamAsync(StreamRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var options = ResponsesRequestMapper.Map(request, request.Model ?? DefaultModel);
        var state = new ResponsesStreamState(structured: request.ResponseFormat is not null);

        AsyncStreamingResult<StreamingResponseUpdate>? result = null;
        ErrorEvent? failure = null;
        try
        {
            result = await _client.CreateResponseStreamingAsync(options, cancellationToken).ConfigureAwait(false);
        }
        catch (ClientResultException ex) when (ex.Status != 0)
        {
            failure = OpenAIErrors.FromClientResult(ex, _timeProvider);
        }

        if (failure is not null || result is null)
        {
            yield return failure ?? UpstreamErrors.Truncated();
            yield break;
        }

        var updates = ((IAsyncEnumerable<StreamingResponseUpdate>)result).ConfigureAwait(false).WithCancellation(cancellationToken).GetAsyncEnumerator();
        try
        {
            while (true)
            {
                (var update, failure) = await SdkUpdateReader.NextAsync(updates, _timeProvider, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    yield return failure;
                    yield break;
                }

                if (update is null)
                {
                    break;
                }

                foreach (var streamEvent in state.Read(update))
                {
                    yield return streamEvent;
                }

                if (state.Terminal is { } terminal)
                {
                    yield return terminal;
                    yield break;
                }
            }
        }
        finally
        {
            await updates.DisposeAsync();
            await result.DisposeAsync().ConfigureAwait(false);
        }

        yield return UpstreamErrors.Truncated();
    }
}
