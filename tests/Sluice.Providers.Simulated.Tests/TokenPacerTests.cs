namespace Sluice.Providers.Simulated.Tests;

public sealed class TokenPacerTests
{
    private static readonly SimulatedOptions Options = new() { TokensPerSecond = 20, Jitter = 0.5 };

    [Fact]
    public void NextDelay_SameSeed_RepeatsSequence()
    {
        var first = new TokenPacer(Options, TimeProvider.System, seed: 3);
        var second = new TokenPacer(Options, TimeProvider.System, seed: 3);

        Assert.Equal(Delays(first, 50), Delays(second, 50));
    }

    [Fact]
    public void NextDelay_DifferentSeeds_Differ()
    {
        Assert.NotEqual(Delays(new TokenPacer(Options, TimeProvider.System, 3), 50), Delays(new TokenPacer(Options, TimeProvider.System, 4), 50));
    }

    [Fact]
    public void NextDelay_Jitter_StaysWithinBounds()
    {
        // 1/20 s = 50 ms per token, scaled by [0.5, 1.5).
        var delays = Delays(new TokenPacer(Options, TimeProvider.System, 11), 1000);

        Assert.All(delays, d => Assert.InRange(d.TotalMilliseconds, 25, 75));
        Assert.True(delays.Distinct().Count() > 1);
    }

    [Fact]
    public void NextDelay_SeveralTokens_ScalesWithCount()
    {
        var pacer = new TokenPacer(Options with { Jitter = 0 }, TimeProvider.System, 1);

        Assert.Equal(TimeSpan.FromMilliseconds(150), pacer.NextDelay(3));
    }

    [Fact]
    public async Task BeforeNextAsync_ZeroTokens_CompletesWithoutTimer()
    {
        var pacer = new TokenPacer(Options, new ThrowingTimeProvider(), 1);

        await pacer.BeforeNextAsync(0, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task BeforeFirstAsync_NoDelayButCancelled_Throws()
    {
        var pacer = new TokenPacer(Options with { TokensPerSecond = 0 }, new ThrowingTimeProvider(), 1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pacer.BeforeFirstAsync(new CancellationToken(canceled: true)));
    }

    private static List<TimeSpan> Delays(TokenPacer pacer, int count) =>
        Enumerable.Range(0, count).Select(_ => pacer.NextDelay(1)).ToList();
}
