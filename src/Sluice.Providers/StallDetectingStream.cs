namespace Sluice.Providers;

/// <summary>A read-only stream over a response body that fails a read getting no bytes for the stall timeout.</summary>
/// <remarks>One timer per stream, re-armed per read (not per byte), so the cost is per network read.</remarks>
internal sealed class StallDetectingStream : Stream
{
    private readonly Stream _inner;
    private readonly TimeSpan _stallTimeout;
    private readonly TimeProvider _timeProvider;

    public StallDetectingStream(Stream inner, TimeSpan stallTimeout, TimeProvider timeProvider)
    {
        _inner = inner;
        _stallTimeout = stallTimeout;
        _timeProvider = timeProvider;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var stall = new CancellationTokenSource(_stallTimeout, _timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stall.Token);
        try
        {
            return await _inner.ReadAsync(buffer, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stall.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Closing the body closes the connection: the provider sees its caller gone and stops.
            await _inner.DisposeAsync().ConfigureAwait(false);
            throw new UpstreamStallException(_stallTimeout);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    // NOTE: synchronous reads get no stall detection; the SDKs read response bodies asynchronously.
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
