namespace Sluice.Client;

/// <summary>Settings of a <see cref="SluiceClient"/>: where the gateway's streams are, and how it reconnects and cancels.</summary>
/// <remarks>Immutable once built; every value is validated when set.</remarks>
public sealed record SluiceClientOptions
{
    /// <summary>The defaults.</summary>
    public static SluiceClientOptions Default { get; } = new();

    /// <summary>
    /// The streams collection (<c>POST</c> starts a stream there, <c>{path}/{id}</c> resumes and cancels one), resolved
    /// against the <see cref="HttpClient.BaseAddress"/>; an absolute URI is used as it is. Default <c>v1/streams</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Empty.</exception>
    public string StreamsPath
    {
        get;
        init => field = !string.IsNullOrWhiteSpace(value) ? value : throw new ArgumentException("Must not be empty.", nameof(StreamsPath));
    } = "v1/streams";

    /// <summary>
    /// How many reconnection attempts in a row may fail (no new event received) before the stream fails with
    /// <see cref="SluiceConnectionException"/>. Every connection that brings a new event starts the count again, so a
    /// long stream may reconnect any number of times. Default 8; 0 never reconnects.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public int MaxReconnectAttempts
    {
        get;
        init => field = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxReconnectAttempts), value, "Must not be negative.");
    } = 8;

    /// <summary>
    /// The base of the reconnection backoff until the gateway sends its own (the SSE <c>retry:</c> field, which then
    /// replaces it). Attempt <c>n</c> waits a random time between zero and <c>base × 2^(n−1)</c>, at most
    /// <see cref="MaxReconnectDelay"/> (full jitter). Default 1 s.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public TimeSpan ReconnectDelay
    {
        get;
        init => field = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(ReconnectDelay), value, "Must not be negative.");
    } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The most the backoff grows to (a larger <c>retry:</c> from the gateway is still honoured, and so is a
    /// <c>Retry-After</c> header). Default 30 s.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public TimeSpan MaxReconnectDelay
    {
        get;
        init => field = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(MaxReconnectDelay), value, "Must not be negative.");
    } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether cancelling a read's token also cancels the run on the gateway (<c>DELETE</c>, best effort). Default
    /// <see langword="true"/>. When <see langword="false"/>, cancelling only closes the connection: the run goes on and
    /// can be resumed (until the gateway's detach grace ends it).
    /// </summary>
    public bool CancelRunOnCancellation { get; init; } = true;

    /// <summary>How long the best-effort <c>DELETE</c> sent on cancellation may take before it is given up. Default 5 s.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan CancelRequestTimeout
    {
        get;
        init => field = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(CancelRequestTimeout), value, "Must be positive.");
    } = TimeSpan.FromSeconds(5);

    /// <summary>The clock behind the backoff delays and the cancel timeout. Default <see cref="TimeProvider.System"/>.</summary>
    /// <exception cref="ArgumentNullException">Null.</exception>
    public TimeProvider TimeProvider
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(TimeProvider));
    } = TimeProvider.System;

    /// <summary>The jitter: a number in [0, 1) that scales each backoff delay. Tests replace it to make delays exact.</summary>
    internal Func<double> Jitter { get; init; } = Random.Shared.NextDouble;
}
