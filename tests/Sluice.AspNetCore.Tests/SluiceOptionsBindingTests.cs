using Microsoft.Extensions.Configuration;

namespace Sluice.AspNetCore.Tests;

public sealed class SluiceOptionsBindingTests
{
    [Fact]
    public void Bind_NestedSections_LeaveTheSharedDefaultsAlone()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sluice:Runs:Retention"] = "00:00:07",
            ["Sluice:Faults:CutAfterEvents"] = "3",
        }).Build();

        var bound = configuration.GetSection("Sluice").Get<SluiceOptions>()!;

        Assert.Equal(TimeSpan.FromSeconds(7), bound.Runs.Retention);
        Assert.Equal(3, bound.Faults.CutAfterEvents);
        Assert.NotEqual(TimeSpan.FromSeconds(7), RunOptions.Default.Retention);
        Assert.Null(FaultOptions.Default.CutAfterEvents);
    }

    [Fact]
    public void Bind_LimitsAndSendTimeout_NumbersSetThemAndAnEmptyValueMeansUnlimited()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sluice:Limits:MaxConcurrentRuns"] = "3",
            ["Sluice:Limits:MaxSubscribers"] = "",
            ["Sluice:Limits:MaxLogBytes"] = "1048576",
            ["Sluice:Limits:RetryAfter"] = "00:00:09",
            ["Sluice:SendTimeout"] = "",
        }).Build();

        var bound = configuration.GetSection("Sluice").Get<SluiceOptions>()!;

        Assert.Equal(3, bound.Limits.MaxConcurrentRuns);
        Assert.Null(bound.Limits.MaxSubscribers);
        Assert.Equal(1024 * 1024, bound.Limits.MaxLogBytes);
        Assert.Equal(16, bound.Limits.MaxRunsPerPrincipal);
        Assert.Equal(TimeSpan.FromSeconds(9), bound.Limits.RetryAfter);
        Assert.Equal(10_000, LimitOptions.Default.MaxConcurrentRuns);
        Assert.Null(bound.SendTimeout);
    }

    [Fact]
    public void Bind_Backpressure_PolicyByNameLagAndCoalescing()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Sluice:Backpressure:Policy"] = "Pause",
            ["Sluice:Backpressure:MaxLag"] = "64",
            ["Sluice:Backpressure:CoalesceLaggingReaders"] = "false",
        }).Build();

        var bound = configuration.GetSection("Sluice").Get<SluiceOptions>()!;

        Assert.Equal(new BackpressureOptions { Policy = BackpressurePolicy.Pause, MaxLag = 64, CoalesceLaggingReaders = false }, bound.Backpressure);
        Assert.Equal(new BackpressureOptions { Policy = BackpressurePolicy.Continue, MaxLag = 512, CoalesceLaggingReaders = true }, SluiceOptions.Default.Backpressure);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BackpressureOptions { MaxLag = 1 });
    }
}
