namespace Sluice.Providers.Simulated.Tests;

public sealed class SimulatedOptionsTests
{
    [Fact]
    public void Default_HasDocumentedValues()
    {
        var options = SimulatedOptions.Default;

        Assert.Equal(60, options.TokensPerSecond);
        Assert.Equal(250, options.FirstTokenDelayMs);
        Assert.Equal(1, options.Seed);
        Assert.Equal(0.3, options.Jitter);
        Assert.Equal("sluice-simulated-1", options.Model);
        Assert.Equal(new SimulatedOptions(), options);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void TokensPerSecond_Invalid_ThrowsNamingProperty(double value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedOptions { TokensPerSecond = value });

        Assert.Equal(nameof(SimulatedOptions.TokensPerSecond), ex.ParamName);
    }

    [Fact]
    public void TokensPerSecond_Zero_IsAllowed()
    {
        Assert.Equal(0, new SimulatedOptions { TokensPerSecond = 0 }.TokensPerSecond);
    }

    [Fact]
    public void FirstTokenDelayMs_Negative_ThrowsNamingProperty()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedOptions { FirstTokenDelayMs = -1 });

        Assert.Equal(nameof(SimulatedOptions.FirstTokenDelayMs), ex.ParamName);
    }

    [Theory]
    [InlineData(1.01)]
    [InlineData(-0.1)]
    [InlineData(double.NaN)]
    public void Jitter_OutsideZeroToOne_ThrowsNamingProperty(double value)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new SimulatedOptions { Jitter = value });

        Assert.Equal(nameof(SimulatedOptions.Jitter), ex.ParamName);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void Jitter_Bounds_AreAllowed(double value)
    {
        Assert.Equal(value, new SimulatedOptions { Jitter = value }.Jitter);
    }

    [Fact]
    public void Model_Blank_ThrowsNamingProperty()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SimulatedOptions { Model = " " });

        Assert.Equal(nameof(SimulatedOptions.Model), ex.ParamName);
    }

    [Fact]
    public void With_ChangedProperty_KeepsOthers()
    {
        var options = SimulatedOptions.Default with { Seed = 9 };

        Assert.Equal(9, options.Seed);
        Assert.Equal(SimulatedOptions.Default.TokensPerSecond, options.TokensPerSecond);
    }
}
