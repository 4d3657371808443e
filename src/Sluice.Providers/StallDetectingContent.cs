using System.Net;

namespace Sluice.Providers;

/// <summary>Response content whose stream fails a read that gets no bytes for the stall timeout.</summary>
internal sealed class StallDetectingContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly TimeSpan _stallTimeout;
    private readonly TimeProvider _timeProvider;

    public StallDetectingContent(HttpContent inner, TimeSpan stallTimeout, TimeProvider timeProvider)
    {
        _inner = inner;
        _stallTimeout = stallTimeout;
        _timeProvider = timeProvider;
        foreach (var header in inner.Headers)
        {
            Headers.TryAddWithoutValidation(header.Key, header.Value);
        }
    }

    protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken) =>
        new StallDetectingStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _stallTimeout, _timeProvider);

    protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

    protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
    {
        var source = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (source.ConfigureAwait(false))
        {
            await source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
