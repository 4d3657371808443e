namespace Sluice.ReplayLog;

/// <summary>The bytes held by every stream of one <see cref="InMemoryReplayLog"/>, each stream adding its own changes.</summary>
internal sealed class HeldBytesCounter
{
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    public void Add(long delta)
    {
        if (delta != 0)
        {
            Interlocked.Add(ref _value, delta);
        }
    }
}
