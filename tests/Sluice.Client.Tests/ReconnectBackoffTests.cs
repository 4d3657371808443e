namespace Sluice.Client.Tests;

public sealed class ReconnectBackoffTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Theory]
    [InlineData(1, 1.0, 1)]
    [InlineData(2, 1.0, 2)]
    [InlineData(3, 1.0, 4)]
    [InlineData(6, 1.0, 30)] // 32 s, capped at 30
    [InlineData(40, 1.0, 30)] // no overflow
    [InlineData(3, 0.25, 1)] // full jitter scales the whole delay
    [InlineData(3, 0.0, 0)]
    public void Delay_GrowsExponentially_UpToTheCap_ScaledByJitter(int attempt, double jitter, int expectedSeconds)
    {
        Assert.Equal(expectedSeconds * Second, ReconnectBackoff.Delay(attempt, Second, 30 * Second, jitter, retryAfter: null));
    }

    [Fact]
    public void Delay_ServerRetryAboveTheCap_IsNotCut()
    {
        Assert.Equal(60 * Second, ReconnectBackoff.Delay(1, 60 * Second, 30 * Second, 1.0, retryAfter: null));
        Assert.Equal(60 * Second, ReconnectBackoff.Delay(5, 60 * Second, 30 * Second, 1.0, retryAfter: null));
    }

    [Fact]
    public void Delay_IsAtLeastRetryAfter()
    {
        Assert.Equal(7 * Second, ReconnectBackoff.Delay(1, Second, 30 * Second, 0.0, retryAfter: 7 * Second));
        Assert.Equal(8 * Second, ReconnectBackoff.Delay(4, Second, 30 * Second, 1.0, retryAfter: 7 * Second));
    }

    [Fact]
    public void Options_RejectOutOfRangeValues()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SluiceClientOptions { MaxReconnectAttempts = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SluiceClientOptions { ReconnectDelay = -Second });
        Assert.Throws<ArgumentOutOfRangeException>(() => new SluiceClientOptions { CancelRequestTimeout = TimeSpan.Zero });
        Assert.Throws<ArgumentException>(() => new SluiceClientOptions { StreamsPath = " " });
        Assert.Throws<ArgumentNullException>(() => new SluiceClientOptions { TimeProvider = null! });
    }
}
