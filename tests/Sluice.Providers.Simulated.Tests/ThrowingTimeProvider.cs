namespace Sluice.Providers.Simulated.Tests;

/// <summary>Fails any attempt to start a timer, proving that a code path never waits.</summary>
internal sealed class ThrowingTimeProvider : TimeProvider
{
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        throw new InvalidOperationException("No timer expected.");
}
