using System.Runtime.CompilerServices;
using OpenAI;
using Sluice.Protocol;

namespace Sluice.Providers.OpenAI;

/// <summary>
/// Streams from the Chat Completions API (<c>POST {base}/chat/completions</c>) of OpenAI or any compatible server.
/// </summary>
/// <remarks>
/// Tool calls are keyed by their <c>index</c>: id and name arrive on the first fragment only, and parallel calls may
/// interleave; every open call ends when the finish reason arrives. The done event waits for the end of the stream,
/// because the usage chunk (<c>choices: []</c>) comes after the finish reason. A stream that ends without a finish
/// reason is truncated. Thread-safe: each call has its own state.
/// </remarks>
internal sealed class ChatCompletionsStreamSource : IStreamSource
{
    private readonly OpenAIClient _client;
    private readonly TimeProvider _timeProvider;

    public ChatCompletionsStreamSource(OpenAIClient client, string defaultModel, TimeProvider timeProvider)
    {
        _client = client;
        DefaultModel = defaultModel;
        _timeProvider = timeProvider;
    }

    public string DefaultModel { get; }

    public async IAsyncEnumerable<StreamEvent> StreamAsync(StreamRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Mapped before the first await so an inexpressible request fails the call, not the stream.
        var messages = ChatRequestMapper.MapMessages(request);
        var options = ChatRequestMapper.MapOptions(request);
        var chat = _client.GetChatClient(request.Model ?? DefaultModel);
        var structured = request.ResponseFormat is not null;

        var state = new ChatStreamState();
        var updates = chat.CompleteChatStreamingAsync(messages, options, cancellationToken).ConfigureAwait(false).GetAsyncEnumerator();
        try
        {
            while (true)
            {
                var (update, failure) = await SdkUpdateReader.NextAsync(updates, _timeProvider, cancellationToken).ConfigureAwait(false);
                if (failure is not null)
                {
                    yield return failure;
                    yield break;
                }

                if (update is null)
                {
                    break;
                }

                foreach (var streamEvent in state.Read(update, structured))
                {
                    yield return streamEvent;
                }

                if (state.Error is { } error)
                {
                    yield return error;
                    yield break;
                }
            }
        }
        finally
        {
            await updates.DisposeAsync();
        }

        yield return state.Finish();
    }
}
