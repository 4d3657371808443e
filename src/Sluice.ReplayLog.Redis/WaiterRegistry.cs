using System.Globalization;

namespace Sluice.ReplayLog.Redis;

/// <summary>What a wake-up says about a stream.</summary>
internal enum StreamState
{
    /// <summary>The stream may still grow.</summary>
    Running,

    /// <summary>The stream has its terminal event.</summary>
    Complete,

    /// <summary>The stream is gone (removed, expired, or never existed).</summary>
    Gone,
}

/// <summary>A reader waiting on this node for an event after <see cref="AfterSeq"/>.</summary>
internal sealed class Waiter(string streamId, long afterSeq)
{
    private readonly TaskCompletionSource _signal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string StreamId { get; } = streamId;

    public long AfterSeq { get; } = afterSeq;

    // A signal, not work: completing it runs nothing of ours, so awaiting it cannot deadlock on a context.
#pragma warning disable VSTHRD003
    public Task Task => _signal.Task;
#pragma warning restore VSTHRD003

    /// <summary>Whether a stream in this state, with this head, has what the reader waits for.</summary>
    public bool IsSatisfiedBy(long head, StreamState state) => state != StreamState.Running || head > AfterSeq;

    public void Release() => _signal.TrySetResult();

    public void Fail(Exception exception) => _signal.TrySetException(exception);

    public void Cancel(CancellationToken cancellationToken) => _signal.TrySetCanceled(cancellationToken);
}

/// <summary>
/// The readers waiting on this node, by stream; a wake-up (from pub/sub, from this node's own removal, or from the
/// periodic re-check) releases those whose wait it satisfies and ignores the rest, so repeated or out-of-order
/// wake-ups (the same head twice, an older head after a newer one) change nothing.
/// </summary>
internal sealed class WaiterRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<Waiter>> _byStream = new(StringComparer.Ordinal);

    /// <summary>Adds a waiter (before its caller checks the head, so no wake-up can fall between the two).</summary>
    public void Add(Waiter waiter)
    {
        lock (_lock)
        {
            if (!_byStream.TryGetValue(waiter.StreamId, out var waiters))
            {
                _byStream[waiter.StreamId] = waiters = [];
            }

            waiters.Add(waiter);
        }
    }

    /// <summary>Removes a waiter that has finished (released, cancelled or failed); removing it twice does nothing.</summary>
    public void Remove(Waiter waiter)
    {
        lock (_lock)
        {
            if (_byStream.TryGetValue(waiter.StreamId, out var waiters) && waiters.Remove(waiter) && waiters.Count == 0)
            {
                _byStream.Remove(waiter.StreamId);
            }
        }
    }

    /// <summary>Releases the waiters of a stream that this state satisfies.</summary>
    public void Wake(string streamId, long head, StreamState state)
    {
        List<Waiter>? released = null;
        lock (_lock)
        {
            if (!_byStream.TryGetValue(streamId, out var waiters))
            {
                return;
            }

            for (var i = waiters.Count - 1; i >= 0; i--)
            {
                if (waiters[i].IsSatisfiedBy(head, state))
                {
                    (released ??= []).Add(waiters[i]);
                    waiters.RemoveAt(i);
                }
            }

            if (waiters.Count == 0)
            {
                _byStream.Remove(streamId);
            }
        }

        // Outside the lock: continuations run asynchronously anyway, but nothing else needs the lock for this.
        if (released is not null)
        {
            foreach (var waiter in released)
            {
                waiter.Release();
            }
        }
    }

    /// <summary>Fails every waiter (the connection to Redis broke: their wake-ups cannot be trusted to come).</summary>
    public void FailAll(Exception exception)
    {
        List<Waiter> failed = [];
        lock (_lock)
        {
            foreach (var waiters in _byStream.Values)
            {
                failed.AddRange(waiters);
            }

            _byStream.Clear();
        }

        foreach (var waiter in failed)
        {
            waiter.Fail(exception);
        }
    }

    /// <summary>The streams that have waiters now.</summary>
    public string[] WaitingStreams()
    {
        lock (_lock)
        {
            return [.. _byStream.Keys];
        }
    }

    /// <summary>The message published on every append batch and removal: <c>{head} {r|c|x} {stream id}</c>.</summary>
    public static string Message(string streamId, long head, StreamState state) =>
        string.Create(CultureInfo.InvariantCulture, $"{head} {state switch { StreamState.Running => 'r', StreamState.Complete => 'c', _ => 'x' }} {streamId}");

    /// <summary>Parses <see cref="Message"/>; false for anything else (another publisher on the channel).</summary>
    public static bool TryParse(string? message, out string streamId, out long head, out StreamState state)
    {
        streamId = string.Empty;
        head = 0;
        state = StreamState.Running;
        var text = message.AsSpan();
        var space = text.IndexOf(' ');
        if (space <= 0 || !long.TryParse(text[..space], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out head))
        {
            return false;
        }

        text = text[(space + 1)..];
        if (text.Length < 2 || text[1] != ' ')
        {
            return false;
        }

        switch (text[0])
        {
            case 'r':
                state = StreamState.Running;
                break;
            case 'c':
                state = StreamState.Complete;
                break;
            case 'x':
                state = StreamState.Gone;
                break;
            default:
                return false;
        }

        streamId = text[2..].ToString();
        return true;
    }
}
