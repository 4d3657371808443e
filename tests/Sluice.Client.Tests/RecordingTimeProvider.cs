using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Sluice.Client.Tests;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that reports every timer created on it, so a test knows the client is now waiting
/// (and for how long) before it advances the clock: no race between arming a delay and moving time past it.
/// </summary>
internal sealed class RecordingTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _timers = Channel.CreateUnbounded<TimeSpan>();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _timers.Writer.TryWrite(dueTime);
        return timer;
    }

    /// <summary>Waits until the next timer is armed and returns its due time (how long the client waits).</summary>
    public async Task<TimeSpan> NextTimerAsync()
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        limit.CancelAfter(TimeSpan.FromSeconds(30));
        return await _timers.Reader.ReadAsync(limit.Token);
    }

    /// <summary>Whether a timer was armed that no <see cref="NextTimerAsync"/> has returned yet.</summary>
    public bool HasPendingTimer => _timers.Reader.Count > 0;
}
