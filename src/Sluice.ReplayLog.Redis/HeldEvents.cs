using Sluice.Protocol;

namespace Sluice.ReplayLog.Redis;

/// <summary>
/// The events a writer holds, oldest first, with their estimated sizes: a queue that can also be read by position, so
/// that a read on the writing node takes its events from here instead of from Redis.
/// </summary>
/// <remarks>Not thread-safe: the writer uses it under its lock.</remarks>
internal sealed class HeldEvents
{
    private (StreamEvent Event, long Size)[] _items = new (StreamEvent, long)[16];
    private int _start;

    public int Count { get; private set; }

    /// <summary>The event at <paramref name="index"/> (0 is the oldest).</summary>
    public StreamEvent this[int index] =>
        (uint)index < (uint)Count ? _items[(_start + index) % _items.Length].Event : throw new ArgumentOutOfRangeException(nameof(index));

    public void Enqueue((StreamEvent Event, long Size) item)
    {
        if (Count == _items.Length)
        {
            Grow();
        }

        _items[(_start + Count) % _items.Length] = item;
        Count++;
    }

    public (StreamEvent Event, long Size) Dequeue()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("No event is held.");
        }

        var item = _items[_start];
        _items[_start] = default; // Evicted events must not stay reachable from here.
        _start = (_start + 1) % _items.Length;
        Count--;
        return item;
    }

    private void Grow()
    {
        var bigger = new (StreamEvent, long)[_items.Length * 2];
        for (var i = 0; i < Count; i++)
        {
            bigger[i] = _items[(_start + i) % _items.Length];
        }

        _items = bigger;
        _start = 0;
    }
}
