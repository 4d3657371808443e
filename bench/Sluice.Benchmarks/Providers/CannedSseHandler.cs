using System.Net;
using System.Net.Http.Headers;

namespace Sluice.Benchmarks.Providers;

/// <summary>
/// The transport at the bottom of an SDK client's handler chain in <see cref="ProviderAdapterBenchmarks"/>, in place of
/// <see cref="SocketsHttpHandler"/>: every request gets <c>200 OK</c>, <c>text/event-stream</c> and the prepared body,
/// as fresh content (a new read-only <see cref="MemoryStream"/> over the same bytes) per call. No socket, no waiting.
/// </summary>
internal sealed class CannedSseHandler : HttpMessageHandler
{
    private readonly byte[] _body;

    public CannedSseHandler(byte[] body) => _body = body;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is { } requestContent)
        {
            // A socket transport would write the request body; writing it to nowhere charges the SDK for serializing it.
            await requestContent.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
        }

        var response = new HttpResponseMessage(HttpStatusCode.OK) { RequestMessage = request, Content = new ByteArrayContent(_body) };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue("text/event-stream");
        return response;
    }
}
