using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Sluice.Protocol;

namespace Sluice.Client;

/// <summary>
/// The .NET client of a Sluice gateway: starts streams, reads them as they are generated, resumes them by itself when
/// the connection drops (with <c>Last-Event-ID</c>), and cancels them.
/// </summary>
/// <remarks>
/// <para>
/// Works wherever <see cref="HttpClient"/> streams responses, Blazor WebAssembly included (no sockets, no blocking, no
/// threads of its own). Thread-safe: one client may serve any number of streams; a <see cref="SluiceStream"/> is read
/// by one reader.
/// </para>
/// <para>
/// A UI that shows the connection opens a <see cref="SluiceStream"/> (<see cref="Open"/>), listens to its
/// <see cref="SluiceStream.StateChanged"/>, and applies every event of <see cref="SluiceStream.ReadAllAsync"/> to a
/// <see cref="MessageState"/>; cancelling the read's token stops it and cancels the run on the gateway.
/// </para>
/// </remarks>
public sealed class SluiceClient
{
    private static readonly HttpRequestOptionsKey<bool> BrowserResponseStreaming = new("WebAssemblyEnableStreamingResponse");

    private readonly string _streamsPath;

    /// <summary>Creates a client over <paramref name="httpClient"/>, whose <see cref="HttpClient.BaseAddress"/> is the gateway.</summary>
    /// <param name="httpClient">
    /// The HTTP client (its handlers add whatever the application's authentication needs). Its
    /// <see cref="HttpClient.Timeout"/> bounds each request until the response headers arrive, not the stream.
    /// </param>
    /// <param name="options">The settings; <see cref="SluiceClientOptions.Default"/> when <see langword="null"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> is null.</exception>
    public SluiceClient(HttpClient httpClient, SluiceClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        Http = httpClient;
        Options = options ?? SluiceClientOptions.Default;
        _streamsPath = Options.StreamsPath.TrimEnd('/');
    }

    /// <summary>The settings in use.</summary>
    public SluiceClientOptions Options { get; }

    internal HttpClient Http { get; }

    /// <summary>
    /// Prepares a new stream for <paramref name="request"/>. Nothing is sent until <see cref="SluiceStream.ReadAllAsync"/>
    /// is enumerated, so handlers can be attached first.
    /// </summary>
    /// <param name="request">What to ask the model.</param>
    /// <returns>The stream, to read once.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public SluiceStream Open(StreamRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new SluiceStream(this, StreamRequestWriter.Write(request), streamId: null, resumeToken: null, lastSeq: -1);
    }

    /// <summary>
    /// Prepares to resume (or join) an existing stream after <paramref name="lastSeq"/>: for instance after a page reload,
    /// with the id, token and <see cref="MessageState.LastSeq"/> the page kept.
    /// </summary>
    /// <param name="streamId">The stream id (<see cref="SluiceStream.StreamId"/>, or the <c>Sluice-Stream-Id</c> header).</param>
    /// <param name="resumeToken">The resume token; <see langword="null"/> when the application authenticates the caller instead.</param>
    /// <param name="lastSeq">The seq of the last event the caller has; -1 to read from the start.</param>
    /// <returns>The stream, to read once.</returns>
    /// <exception cref="ArgumentException"><paramref name="streamId"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lastSeq"/> is below -1.</exception>
    public SluiceStream Resume(string streamId, string? resumeToken, long lastSeq = -1)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        ArgumentOutOfRangeException.ThrowIfLessThan(lastSeq, -1);
        return new SluiceStream(this, body: null, streamId, resumeToken, lastSeq);
    }

    /// <summary>Starts a stream and reads it to its terminal event, resuming by itself when the connection drops.</summary>
    /// <param name="request">What to ask the model.</param>
    /// <param name="cancellationToken">Stops the read and (by default) cancels the run on the gateway; see <see cref="SluiceStream.ReadAllAsync"/>.</param>
    /// <returns>The events, each once, in seq order; the last is <c>done</c> or <c>error</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <remarks>A shortcut for <c>Open(request).ReadAllAsync(cancellationToken)</c>, for callers that need no connection state.</remarks>
    public IAsyncEnumerable<SequencedEvent> StreamAsync(StreamRequest request, CancellationToken cancellationToken = default) =>
        Open(request).ReadAllAsync(cancellationToken);

    /// <summary>Resumes an existing stream after <paramref name="lastSeq"/> and reads it to its terminal event.</summary>
    /// <param name="streamId">The stream id.</param>
    /// <param name="resumeToken">The resume token; <see langword="null"/> when the application authenticates the caller instead.</param>
    /// <param name="lastSeq">The seq of the last event the caller has; -1 to read from the start.</param>
    /// <param name="cancellationToken">Stops the read and (by default) cancels the run on the gateway.</param>
    /// <returns>The events after <paramref name="lastSeq"/>, each once, in seq order (a <c>snapshot</c> first if the gateway no longer holds them all).</returns>
    /// <exception cref="ArgumentException"><paramref name="streamId"/> is null or empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lastSeq"/> is below -1.</exception>
    /// <remarks>A shortcut for <c>Resume(…).ReadAllAsync(cancellationToken)</c>.</remarks>
    public IAsyncEnumerable<SequencedEvent> ResumeAsync(string streamId, string? resumeToken, long lastSeq = -1, CancellationToken cancellationToken = default) =>
        Resume(streamId, resumeToken, lastSeq).ReadAllAsync(cancellationToken);

    /// <summary>Cancels a stream's run on the gateway (<c>DELETE</c>); its readers then receive <c>done</c> with <c>cancelled</c>.</summary>
    /// <param name="streamId">The stream id.</param>
    /// <param name="resumeToken">The resume token; <see langword="null"/> when the application authenticates the caller instead.</param>
    /// <param name="cancellationToken">Gives up waiting for the answer.</param>
    /// <returns><see langword="true"/> when the run was going and is being cancelled (202); <see langword="false"/> when it had already finished (204).</returns>
    /// <exception cref="ArgumentException"><paramref name="streamId"/> is null or empty.</exception>
    /// <exception cref="SluiceStreamLostException">The gateway does not have the stream (404).</exception>
    /// <exception cref="SluiceRequestException">The gateway refused otherwise.</exception>
    /// <exception cref="HttpRequestException">The request failed.</exception>
    public async Task<bool> CancelAsync(string streamId, string? resumeToken, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(streamId);
        using var request = CreateStreamRequest(HttpMethod.Delete, streamId, resumeToken, lastSeq: -1);
        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.StatusCode switch
        {
            HttpStatusCode.Accepted => true,
            HttpStatusCode.NoContent or HttpStatusCode.OK => false,
            HttpStatusCode.NotFound => throw new SluiceStreamLostException(streamId, -1),
            _ => throw await ReadRejectionAsync(response, cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary><c>POST {streams}</c> with the request's JSON.</summary>
    internal HttpRequestMessage CreateStartRequest(ReadOnlyMemory<byte> body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_streamsPath, UriKind.RelativeOrAbsolute))
        {
            Content = new ReadOnlyMemoryContent(body),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        PrepareForStreaming(request);
        return request;
    }

    /// <summary>A request on <c>{streams}/{id}</c> with the proof of ownership and, for a resume, the position.</summary>
    internal HttpRequestMessage CreateStreamRequest(HttpMethod method, string streamId, string? resumeToken, long lastSeq)
    {
        var request = new HttpRequestMessage(method, new Uri(_streamsPath + "/" + Uri.EscapeDataString(streamId), UriKind.RelativeOrAbsolute));
        if (resumeToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", resumeToken);
        }

        if (method == HttpMethod.Get)
        {
            if (lastSeq >= 0)
            {
                request.Headers.TryAddWithoutValidation(SluiceHeaders.LastEventId, lastSeq.ToString(CultureInfo.InvariantCulture));
            }

            PrepareForStreaming(request);
        }

        return request;
    }

    /// <summary>The gateway's refusal as an exception, with its problem document when it sent one.</summary>
    internal static async Task<SluiceRequestException> ReadRejectionAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        SluiceProblem? problem = null;
        if (mediaType is not null && (mediaType.EndsWith("/json", StringComparison.OrdinalIgnoreCase) || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase)))
        {
            try
            {
                var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                problem = ParseProblem(bytes);
            }
            catch (Exception ex) when (ex is JsonException or IOException or HttpRequestException)
            {
                // An unreadable body still leaves the status to report.
            }
        }

        var message = problem?.Detail ?? problem?.Title ?? (mediaType == SluiceHeaders.EventStreamMediaType
            ? $"The gateway answered {(int)status} {status}."
            : $"The gateway answered {(int)status} {status}{(mediaType is null ? string.Empty : $" ({mediaType})")} instead of an event stream.");
        return new SluiceRequestException(status, message, problem);
    }

    private static SluiceProblem? ParseProblem(byte[] bytes)
    {
        using var document = JsonDocument.Parse(bytes);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var errors = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (root.TryGetProperty("errors", out var fields) && fields.ValueKind == JsonValueKind.Object)
        {
            foreach (var field in fields.EnumerateObject())
            {
                errors[field.Name] = field.Value.ValueKind == JsonValueKind.Array
                    ? [.. field.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText())]
                    : [field.Value.ToString()];
            }
        }

        return new SluiceProblem(
            String(root, "type"),
            String(root, "title"),
            root.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt32(out var statusValue) ? statusValue : null,
            String(root, "detail"),
            errors);

        static string? String(JsonElement root, string name) =>
            root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
    }

    private static void PrepareForStreaming(HttpRequestMessage request)
    {
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(SluiceHeaders.EventStreamMediaType));

        // Blazor WebAssembly: hand the body over as it arrives rather than buffered whole (ignored elsewhere).
        request.Options.Set(BrowserResponseStreaming, true);
    }
}
