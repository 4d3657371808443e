using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Sluice.Providers.Tests;

/// <summary>Fake time that also tells the test each time code under test arms a timer, so it can advance right after.</summary>
internal sealed class ObservedTimeProvider : FakeTimeProvider
{
    private readonly Channel<TimeSpan> _armed = Channel.CreateUnbounded<TimeSpan>();

    /// <summary>Waits for the next timer to be created; returns its due time.</summary>
    public ValueTask<TimeSpan> NextTimerAsync() => _armed.Reader.ReadAsync(TestContext.Current.CancellationToken);

    /// <summary>Forgets the timers armed so far.</summary>
    public void ForgetArmed()
    {
        while (_armed.Reader.TryRead(out _))
        {
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        _armed.Writer.TryWrite(dueTime);
        return timer;
    }
}
