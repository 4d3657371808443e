using System.Globalization;
using System.Net;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Sluice.Protocol;

namespace Sluice.Client;

/// <summary>
/// One stream as a client reads it: started (<see cref="SluiceClient.Open"/>) or resumed
/// (<see cref="SluiceClient.Resume"/>), read once with <see cref="ReadAllAsync"/>, which reconnects by itself.
/// </summary>
/// <remarks>
/// <para>
/// A UI wires it up like this (Blazor):
/// </para>
/// <code>
/// var stream = client.Open(request);
/// stream.StateChanged += (_, e) => { message.SetConnection(e.State); _ = InvokeAsync(StateHasChanged); };
/// try
/// {
///     await foreach (var evt in stream.ReadAllAsync(stop.Token)) { message.Apply(evt); StateHasChanged(); }
/// }
/// catch (SluiceException ex) { message.Fail(ex.ToErrorEvent()); }
/// catch (OperationCanceledException) when (stop.IsCancellationRequested) { /* stopped: the run is cancelled too */ }
/// </code>
/// <para>
/// The events (<see cref="Opened"/>, <see cref="StateChanged"/>) are raised by the reading code, between two events
/// of <see cref="ReadAllAsync"/> and never at the same time as the reader's loop body; in Blazor WebAssembly that is
/// the UI thread. Elsewhere (Blazor Server) a handler that renders must go through the component's
/// <c>InvokeAsync</c>. Handlers must not throw. The properties may be read from any thread.
/// </para>
/// </remarks>
public sealed class SluiceStream
{
    private readonly SluiceClient _client;
    private readonly ReadOnlyMemory<byte>? _body;
    private string? _streamId;
    private string? _resumeToken;
    private long _lastSeq;
    private int _state = (int)ConnectionState.Connecting;
    private int _reading;
    private volatile bool _startAnswered;
    private volatile bool _complete;
    private TimeSpan? _serverRetry;

    internal SluiceStream(SluiceClient client, ReadOnlyMemory<byte>? body, string? streamId, string? resumeToken, long lastSeq)
    {
        _client = client;
        _body = body;
        _streamId = streamId;
        _resumeToken = resumeToken;
        _lastSeq = lastSeq;
    }

    /// <summary>
    /// Raised once, when the gateway has named a new stream (from the response headers of <c>POST</c>, before its first
    /// event): <see cref="StreamId"/> and <see cref="ResumeToken"/> are set, so the page can keep them to resume later.
    /// Not raised for a stream from <see cref="SluiceClient.Resume"/>, whose id is known from the start.
    /// </summary>
    public event EventHandler? Opened;

    /// <summary>
    /// Raised when <see cref="State"/> changes, and for every reconnection attempt (with its number, wait and cause).
    /// </summary>
    public event EventHandler<ConnectionStateChangedEventArgs>? StateChanged;

    /// <summary>The stream id; <see langword="null"/> until the gateway has answered the start request.</summary>
    public string? StreamId => Volatile.Read(ref _streamId);

    /// <summary>
    /// The resume token, the secret that proves the stream is the caller's; <see langword="null"/> until the gateway has
    /// answered, or when the application authenticates the caller (the gateway then issues none).
    /// </summary>
    public string? ResumeToken => Volatile.Read(ref _resumeToken);

    /// <summary>The seq of the last event read (a snapshot's <c>upTo</c>); -1 before any. A resume asks for what follows it.</summary>
    public long LastSeq => Volatile.Read(ref _lastSeq);

    /// <summary>Where the connection stands.</summary>
    /// <remarks>Cancelling the read leaves it where it was: the caller knows it stopped.</remarks>
    public ConnectionState State => (ConnectionState)Volatile.Read(ref _state);

    /// <summary>Whether the terminal event (<c>done</c> or <c>error</c>) has been read.</summary>
    public bool IsComplete => _complete;

    /// <summary>
    /// Sends the request (or the resume) and reads the stream to its terminal event. When the connection drops (a
    /// network error, a proxy cutting it, the gateway restarting, or the body ending before the terminal event), it
    /// reconnects by itself with <c>Last-Event-ID</c>, after a backoff (<see cref="SluiceClientOptions.ReconnectDelay"/>,
    /// or the gateway's <c>retry:</c>; at least a 429/503's <c>Retry-After</c>), and skips whatever it already yielded.
    /// </summary>
    /// <param name="cancellationToken">
    /// Stops the read; with <see cref="SluiceClientOptions.CancelRunOnCancellation"/> (the default) it also cancels the
    /// run on the gateway (<c>DELETE</c>, best effort, bounded by <see cref="SluiceClientOptions.CancelRequestTimeout"/>).
    /// Leaving the loop without cancelling (a <c>break</c>) only closes the connection: the run goes on and can be resumed.
    /// </param>
    /// <returns>
    /// The events, each once, with strictly increasing seqs (a <c>snapshot</c>, which replaces the state so far, may jump
    /// ahead); the last is <c>done</c> or <c>error</c> (an <c>error</c> event is the stream's normal end, not an exception).
    /// </returns>
    /// <exception cref="InvalidOperationException">The stream is already being read (a stream is read once).</exception>
    /// <exception cref="SluiceRequestException">(While enumerating) the gateway refused the request (4xx, with its problem document).</exception>
    /// <exception cref="SluiceStreamLostException">(While enumerating) the gateway no longer has the stream (404 on resume).</exception>
    /// <exception cref="SluiceConnectionException">(While enumerating) reconnecting failed <see cref="SluiceClientOptions.MaxReconnectAttempts"/> times in a row.</exception>
    /// <exception cref="InvalidDataException">(While enumerating) the gateway sent something that is not a Sluice event.</exception>
    /// <exception cref="OperationCanceledException">(While enumerating) <paramref name="cancellationToken"/> was cancelled.</exception>
    public IAsyncEnumerable<SequencedEvent> ReadAllAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _reading, 1) != 0)
        {
            throw new InvalidOperationException("This stream is already being read; a SluiceStream is read once (open or resume another to read again).");
        }

        return ReadAllCoreAsync(cancellationToken);
    }

    /// <summary>
    /// Cancels the run on the gateway (<c>DELETE</c>) while the read goes on: the reader then receives <c>done</c> with
    /// <c>cancelled</c> as the stream's last event. To stop reading at once, cancel the read's token instead.
    /// </summary>
    /// <param name="cancellationToken">Gives up waiting for the gateway's answer.</param>
    /// <returns>
    /// <see langword="true"/> when the run was going and is being cancelled; <see langword="false"/> when it had already
    /// finished, or the gateway has not named the stream yet (nothing to cancel by id).
    /// </returns>
    /// <exception cref="SluiceStreamLostException">The gateway no longer has the stream.</exception>
    /// <exception cref="SluiceRequestException">The gateway refused otherwise.</exception>
    /// <exception cref="HttpRequestException">The request failed.</exception>
    public Task<bool> CancelAsync(CancellationToken cancellationToken = default) =>
        StreamId is { } id ? _client.CancelAsync(id, ResumeToken, cancellationToken) : Task.FromResult(false);

    private async IAsyncEnumerable<SequencedEvent> ReadAllCoreAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var events = ReadEventsAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await events.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    SetState(ConnectionState.Failed, cause: ex);
                    throw;
                }

                yield return events.Current;
            }
        }
        finally
        {
            await events.DisposeAsync().ConfigureAwait(false);
            if (cancellationToken.IsCancellationRequested && !_complete && _client.Options.CancelRunOnCancellation && StreamId is { } id)
            {
                await CancelRunBestEffortAsync(id).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The reconnecting reader: connection after connection, until the terminal event or a failure that stays.</summary>
    private async IAsyncEnumerable<SequencedEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var options = _client.Options;
        var failures = 0; // connections in a row that brought nothing new; the next attempt's number
        Exception? cause = null;
        TimeSpan? retryAfter = null;
        while (true)
        {
            if (failures > 0)
            {
                if (failures > options.MaxReconnectAttempts)
                {
                    throw new SluiceConnectionException(
                        string.Create(
                            CultureInfo.InvariantCulture,
                            $"The stream could not be {(StreamId is null ? "started" : "resumed")}: the connection failed and {failures - 1} attempt(s) to reconnect brought nothing new. Last cause: {cause?.Message}"),
                        StreamId, LastSeq, failures - 1, cause);
                }

                var delay = ReconnectBackoff.Delay(failures, _serverRetry ?? options.ReconnectDelay, options.MaxReconnectDelay, options.Jitter(), retryAfter);
                SetState(ConnectionState.Reconnecting, failures, delay, cause);
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, options.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
            }

            var connection = await ConnectAsync(cancellationToken).ConfigureAwait(false);
            if (connection.Response is not { } response)
            {
                (cause, retryAfter) = (connection.Failure, connection.RetryAfter);
                failures++;
                continue;
            }

            retryAfter = null;
            using (response)
            {
                SetState(ConnectionState.Streaming);
                var items = await OpenBodyAsync(response, cancellationToken).ConfigureAwait(false);
                if (items is null)
                {
                    cause = new IOException("The connection dropped before the event stream's body could be read.");
                    failures++;
                    continue;
                }

                try
                {
                    while (true)
                    {
                        var (hasItem, failure) = await TryMoveNextAsync(items, cancellationToken).ConfigureAwait(false);
                        if (!hasItem)
                        {
                            cause = failure ?? new IOException("The event stream ended before its terminal event.");
                            break;
                        }

                        var item = items.Current;
                        if (item.ReconnectionInterval is { } retry)
                        {
                            _serverRetry = retry;
                        }

                        if (item.Data is not { } evt)
                        {
                            continue; // An event type this client does not know: skipped, as the protocol asks.
                        }

                        if (item.EventId is { } id && id != evt.Seq.ToString(CultureInfo.InvariantCulture))
                        {
                            throw new InvalidDataException($"Frame id '{id}' does not match its seq {evt.Seq}.");
                        }

                        // A snapshot's seq is what it covers; anything at or before what was yielded is a replayed duplicate.
                        var seq = evt.Event is SnapshotEvent snapshot ? snapshot.UpTo : evt.Seq;
                        if (seq <= LastSeq)
                        {
                            continue;
                        }

                        Volatile.Write(ref _lastSeq, seq);
                        failures = 0; // Progress: the attempts start over.
                        if (evt.Event is StartEvent start)
                        {
                            Identify(start.StreamId, start.ResumeToken);
                        }

                        if (evt.Event.IsTerminal)
                        {
                            _complete = true;
                            SetState(ConnectionState.Done);
                            yield return evt;
                            yield break;
                        }

                        yield return evt;
                    }
                }
                finally
                {
                    await items.DisposeAsync().ConfigureAwait(false);
                }
            }

            failures++;
        }
    }

    /// <summary>One request: a response to read, or a failure worth another attempt; anything else throws.</summary>
    private async Task<Connection> ConnectAsync(CancellationToken cancellationToken)
    {
        var streamId = StreamId;
        if (streamId is null && _startAnswered)
        {
            // The start was answered without naming the stream (no header) and dropped before `start`: sending it
            // again would start a second run.
            throw new SluiceConnectionException(
                "The connection dropped before the gateway named the stream, so it cannot be resumed (and is not started twice).",
                null, LastSeq, 0, new IOException("The event stream ended before its start event."));
        }

        var starting = streamId is null;
        using var request = starting
            ? _client.CreateStartRequest(_body!.Value)
            : _client.CreateStreamRequest(HttpMethod.Get, streamId!, ResumeToken, LastSeq);
        HttpResponseMessage response;
        try
        {
            response = await _client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            // A resume can always be repeated. A start only when it surely never reached the gateway: otherwise
            // repeating it could start the same answer twice.
            if (starting && ex is not HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError })
            {
                throw new SluiceConnectionException(
                    "Starting the stream failed after the request may have reached the gateway; it is not repeated, so as not to start it twice.",
                    null, LastSeq, 0, ex);
            }

            return new Connection(null, ex, null);
        }

        if (response.IsSuccessStatusCode
            && string.Equals(response.Content.Headers.ContentType?.MediaType, SluiceHeaders.EventStreamMediaType, StringComparison.OrdinalIgnoreCase))
        {
            if (starting)
            {
                _startAnswered = true;
                Identify(Header(response, SluiceHeaders.StreamId), Header(response, SluiceHeaders.ResumeToken));
            }

            return new Connection(response, null, null);
        }

        using (response)
        {
            var status = response.StatusCode;
            if (!starting && status == HttpStatusCode.NotFound)
            {
                throw new SluiceStreamLostException(streamId!, LastSeq);
            }

            // Overloaded or rate-limited: nothing was started, so even a start may be repeated. A resume may also
            // outlast a proxy's 502/504 or a gateway's 500.
            if (status is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable || (!starting && (int)status >= 500))
            {
                var rejection = await SluiceClient.ReadRejectionAsync(response, cancellationToken).ConfigureAwait(false);
                return new Connection(null, rejection, RetryAfter(response));
            }

            throw await SluiceClient.ReadRejectionAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<IAsyncEnumerator<SseItem<SequencedEvent?>>?> OpenBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        Stream body;
        try
        {
            body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken))
        {
            return null;
        }

        // The body belongs to the response, which the caller disposes.
        return SseParser.Create(body, static (_, data) => StreamEventParser.Parse(data))
            .EnumerateAsync(cancellationToken)
            .GetAsyncEnumerator(cancellationToken);
    }

    private static async Task<(bool HasItem, Exception? Failure)> TryMoveNextAsync(IAsyncEnumerator<SseItem<SequencedEvent?>> items, CancellationToken cancellationToken)
    {
        try
        {
            return (await items.MoveNextAsync().ConfigureAwait(false), null);
        }
        catch (Exception ex) when (IsTransient(ex, cancellationToken))
        {
            return (false, ex);
        }
    }

    /// <summary>A dropped connection (reset, cut, timed out), as opposed to the caller's cancellation or bad data.</summary>
    private static bool IsTransient(Exception ex, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && ex is IOException or HttpRequestException or OperationCanceledException;

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _client.Options.TimeProvider.GetUtcNow() is var wait && wait > TimeSpan.Zero ? wait : TimeSpan.Zero,
        _ => null,
    };

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>Records the stream's id and token the first time they are known (headers, or else <c>start</c>).</summary>
    private void Identify(string? streamId, string? resumeToken)
    {
        if (resumeToken is not null && ResumeToken is null)
        {
            Volatile.Write(ref _resumeToken, resumeToken);
        }

        if (streamId is not null && StreamId is null)
        {
            Volatile.Write(ref _streamId, streamId);
            Opened?.Invoke(this, EventArgs.Empty);
        }
    }

    private void SetState(ConnectionState state, int attempt = 0, TimeSpan? delay = null, Exception? cause = null)
    {
        var previous = (ConnectionState)Interlocked.Exchange(ref _state, (int)state);
        if (previous != state || state == ConnectionState.Reconnecting)
        {
            StateChanged?.Invoke(this, new ConnectionStateChangedEventArgs(state, attempt, delay, cause));
        }
    }

    /// <summary>The <c>DELETE</c> sent when the reader cancels: bounded, and whatever happens, not the caller's problem.</summary>
    private async Task CancelRunBestEffortAsync(string streamId)
    {
        var options = _client.Options;
        using var timeout = new CancellationTokenSource(options.CancelRequestTimeout, options.TimeProvider);
        try
        {
            using var request = _client.CreateStreamRequest(HttpMethod.Delete, streamId, ResumeToken, lastSeq: -1);
            using var response = await _client.Http.SendAsync(request, timeout.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Best effort by contract: the caller is told only that it cancelled.
        catch (Exception)
#pragma warning restore CA1031
        {
            // The gateway's detach grace cancels the run anyway once no reader is left.
        }
    }

    private readonly record struct Connection(HttpResponseMessage? Response, Exception? Failure, TimeSpan? RetryAfter);
}
