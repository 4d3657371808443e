namespace Sluice.AspNetCore;

/// <summary>
/// One reader attached to a run (<see cref="StreamRun.Attach"/>): where it is, so the run can tell how far its slowest
/// reader lags (<see cref="BackpressurePolicy.Pause"/>).
/// </summary>
internal sealed class RunReader
{
    private readonly StreamRun? _run;
    private long _position;

    /// <param name="run">The run, on the node that owns it; <see langword="null"/> for a reader of another node's run.</param>
    /// <param name="position">Where the reader starts: the seq of the last event it has.</param>
    public RunReader(StreamRun? run, long position)
    {
        _run = run;
        _position = position;
    }

    /// <summary>The seq of the last event handed to this reader's connection.</summary>
    public long Position => Volatile.Read(ref _position);

    /// <summary>The reader has been given everything through <paramref name="seq"/>.</summary>
    public void Advance(long seq)
    {
        // A full fence between the write and the read of the flag: see StreamRun.WaitForSlowestReaderAsync.
        Interlocked.Exchange(ref _position, seq);
        if (_run is { WantsReaderProgress: true } run)
        {
            run.OnReaderProgress();
        }
    }
}
