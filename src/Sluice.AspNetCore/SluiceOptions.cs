namespace Sluice.AspNetCore;

/// <summary>Settings of the Sluice endpoints; bound from the <c>Sluice</c> configuration section.</summary>
/// <remarks>Immutable once built; every value is validated when set.</remarks>
public sealed record SluiceOptions
{
    /// <summary>The defaults.</summary>
    public static SluiceOptions Default { get; } = new();

    /// <summary>How often an idle event stream gets a <c>: keep-alive</c> comment. Default 15 s.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan HeartbeatInterval
    {
        get;
        init => field = value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(HeartbeatInterval), value, "Must be positive.");
    } = TimeSpan.FromSeconds(15);

    /// <summary>The reconnection delay sent as <c>retry:</c> on the first frame of every response. Default 2 s.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Negative.</exception>
    public TimeSpan ClientRetry
    {
        get;
        init => field = value >= TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(ClientRetry), value, "Must not be negative.");
    } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long one write to a reader may wait for the client to take bytes (room in the response's buffer, about
    /// 64 KiB) before the reader is disconnected; its run goes on and it may resume. Kestrel alone would keep such a
    /// connection open indefinitely. Default 30 s; <see langword="null"/>: never.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public TimeSpan? SendTimeout
    {
        get;
        init => field = value is null || value > TimeSpan.Zero ? value : throw new ArgumentOutOfRangeException(nameof(SendTimeout), value, "Must be positive (or null for never).");
    } = TimeSpan.FromSeconds(30);

    /// <summary>Lifetimes of runs: the detach grace period and the retention of finished runs.</summary>
    /// <exception cref="ArgumentNullException">Null.</exception>
    public RunOptions Runs
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Runs));
    } = new(); // Not the shared RunOptions.Default: the configuration binder sets properties on the instance it finds.

    /// <summary>The largest request body accepted; larger gets 413. Default 1 MiB.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Not positive.</exception>
    public long MaxRequestBodyBytes
    {
        get;
        init => field = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(MaxRequestBodyBytes), value, "Must be positive.");
    } = 1024 * 1024;

    /// <summary>Global bounds (concurrent runs, open subscribers, log memory, runs per caller); past one, new work is refused.</summary>
    /// <exception cref="ArgumentNullException">Null.</exception>
    public LimitOptions Limits
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Limits));
    } = new(); // Not the shared LimitOptions.Default: the configuration binder sets properties on the instance it finds.

    /// <summary>How runs treat readers that fall behind: coalescing for lagging readers, and the producer policy.</summary>
    /// <exception cref="ArgumentNullException">Null.</exception>
    public BackpressureOptions Backpressure
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Backpressure));
    } = new(); // Not the shared BackpressureOptions.Default: the configuration binder sets properties on the instance it finds.

    /// <summary>Fault injection for testing clients (connections cut after N events); off by default.</summary>
    /// <exception cref="ArgumentNullException">Null.</exception>
    public FaultOptions Faults
    {
        get;
        init => field = value ?? throw new ArgumentNullException(nameof(Faults));
    } = new(); // Not the shared FaultOptions.Default: the configuration binder sets properties on the instance it finds.
}
