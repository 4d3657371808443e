namespace Sluice.AspNetCore;

/// <summary>
/// Global bounds of one gateway node, bound from <c>Sluice:Limits</c>. Past a bound, new work is refused before it
/// starts (<c>503</c>, or <c>429</c> for <see cref="MaxRunsPerPrincipal"/>, each with <c>Retry-After</c> and a problem
/// body); streams already open are never touched. <see langword="null"/> means unlimited.
/// </summary>
public sealed record LimitOptions
{
    /// <summary>The defaults: 10 000 runs, 20 000 subscribers, 1 GiB of logs, 16 runs per principal, retry after 5 s.</summary>
    public static LimitOptions Default { get; } = new();

    /// <summary>
    /// The most runs generating at once (started and not yet finished; finished runs kept for resume do not count).
    /// A <c>POST</c> past it gets <c>503</c>. Default 10 000.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int? MaxConcurrentRuns
    {
        get;
        init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxConcurrentRuns), value, "Must be at least 1 (or null for unlimited).");
    } = 10_000;

    /// <summary>
    /// The most event-stream responses open at once (a <c>POST</c>'s own response and every <c>GET</c> resume). A
    /// <c>POST</c> or a resume past it gets <c>503</c>: a reader is the cost, whether its run is new or not. Default
    /// 20 000.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int? MaxSubscribers
    {
        get;
        init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxSubscribers), value, "Must be at least 1 (or null for unlimited).");
    } = 20_000;

    /// <summary>
    /// The memory budget for every stream's replay log together, in bytes (the log's
    /// <see cref="Sluice.ReplayLog.IReplayLog.HeldBytes"/>: held events, as estimated). While the logs hold this much or
    /// more, a <c>POST</c> gets <c>503</c>; running streams go on appending (each within
    /// <see cref="Sluice.ReplayLog.ReplayLogOptions.MaxBytesPerStream"/>), and the budget frees as retention ends. A log
    /// outside the process (Redis) reports no size and is not bounded by it. Default 1 GiB.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public long? MaxLogBytes
    {
        get;
        init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxLogBytes), value, "Must be at least 1 (or null for unlimited).");
    } = 1024L * 1024 * 1024;

    /// <summary>
    /// The most runs generating at once for one caller: an authenticated principal (the identity that owns its runs),
    /// or, for anonymous callers (each of whose runs has its own resume token, so the token names no caller), the
    /// client's IP address (<c>HttpContext.Connection.RemoteIpAddress</c>: behind a proxy, forwarded headers must be
    /// applied, or every anonymous caller shares the proxy's address). A <c>POST</c> past it gets <c>429</c>. Default 16.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int? MaxRunsPerPrincipal
    {
        get;
        init => field = value is null or >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxRunsPerPrincipal), value, "Must be at least 1 (or null for unlimited).");
    } = 16;

    /// <summary>
    /// The <c>Retry-After</c> sent with a refusal (in whole seconds, rounded up). Default 5 s.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public TimeSpan RetryAfter
    {
        get;
        init => field = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(RetryAfter), value, "Must not be negative.");
    } = TimeSpan.FromSeconds(5);
}
