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
}
