using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Sluice.Protocol;

namespace Sluice.Client.Tests;

/// <summary>
/// Stands in for the gateway at the HTTP level: answers each request with the next scripted response (an event stream
/// that may end early or break, an error status, a thrown exception) and records what the client sent.
/// </summary>
internal sealed class ScriptedHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<HttpRequestMessage, HttpResponseMessage>> _script = new();

    public ConcurrentQueue<Recorded> Requests { get; } = new();

    public static HttpClient Client(ScriptedHandler handler) => new(handler) { BaseAddress = new Uri("http://gateway.test/") };

    /// <summary>Queues the next answer.</summary>
    public ScriptedHandler Then(Func<HttpRequestMessage, HttpResponseMessage> respond)
    {
        _script.Enqueue(respond);
        return this;
    }

    public ScriptedHandler ThenStream(params SequencedEvent[] events) => Then(_ => Stream(events));

    /// <summary>A stream whose body breaks (IOException) after the events, as a connection cut mid-stream does.</summary>
    public ScriptedHandler ThenBrokenStream(params SequencedEvent[] events) => Then(_ => Stream(events, retry: null, breakAfter: true));

    public ScriptedHandler ThenStatus(HttpStatusCode status, TimeSpan? retryAfter = null) => Then(_ =>
    {
        var response = new HttpResponseMessage(status) { Content = new StringContent("""{"title":"Busy","status":503}""", Encoding.UTF8, "application/problem+json") };
        if (retryAfter is { } delay)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(delay);
        }

        return response;
    });

    public ScriptedHandler ThenThrow(Exception exception) => Then(_ => throw exception);

    /// <summary>A 200 event stream, as the gateway sends it (with the stream headers on the start response).</summary>
    public static HttpResponseMessage Stream(IEnumerable<SequencedEvent> events, TimeSpan? retry = null, bool breakAfter = false, string? streamId = "stream-1", string? token = "token-1")
    {
        var buffer = new ArrayBufferWriter<byte>();
        var encoder = new StreamEventEncoder();
        foreach (var evt in events)
        {
            encoder.Write(buffer, evt, retry);
            retry = null;
        }

        var response = new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = new StreamContent(new ScriptedBody(buffer.WrittenMemory.ToArray(), breakAfter)),
        };
        response.Content.Headers.ContentType = new MediaTypeHeaderValue(SluiceHeaders.EventStreamMediaType);
        if (streamId is not null)
        {
            response.Headers.Add(SluiceHeaders.StreamId, streamId);
        }

        if (token is not null)
        {
            response.Headers.Add(SluiceHeaders.ResumeToken, token);
        }

        return response;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Enqueue(new Recorded(
            request.Method,
            request.RequestUri!.PathAndQuery,
            request.Headers.TryGetValues(SluiceHeaders.LastEventId, out var ids) ? ids.Single() : null,
            request.Headers.Authorization?.ToString(),
            body));
        if (!_script.TryDequeue(out var respond))
        {
            throw new InvalidOperationException($"No scripted answer for {request.Method} {request.RequestUri} (request {Requests.Count}).");
        }

        return respond(request);
    }

    internal sealed record Recorded(HttpMethod Method, string Path, string? LastEventId, string? Authorization, string? Body);

    /// <summary>A response body that serves its bytes and then either ends or breaks.</summary>
    private sealed class ScriptedBody(byte[] data, bool breakAfter) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position == data.Length)
            {
                return breakAfter ? throw new IOException("The connection was reset (scripted).") : 0;
            }

            var n = Math.Min(buffer.Length, data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
