namespace Sluice.Providers.Simulated;

/// <summary>Settings of the simulated provider: how fast it streams and which model name it reports.</summary>
/// <remarks>
/// Binds from configuration, e.g. <c>configuration.GetSection("Sluice:Simulated").Get&lt;SimulatedOptions&gt;()</c>;
/// every setter validates its value, so an invalid configuration fails when it is bound.
/// </remarks>
public sealed record SimulatedOptions
{
    private readonly double _tokensPerSecond = 60;
    private readonly int _firstTokenDelayMs = 250;
    private readonly double _jitter = 0.3;
    private readonly string _model = "sluice-simulated-1";

    /// <summary>The defaults: 60 tokens per second, 250 ms to the first token, 30 % jitter, seed 1.</summary>
    public static SimulatedOptions Default { get; } = new();

    /// <summary>Average tokens per second; 0 streams as fast as possible, with no delays at all. Default 60.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative, infinite or NaN.</exception>
    public double TokensPerSecond
    {
        get => _tokensPerSecond;
        init
        {
            if (!double.IsFinite(value) || value < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(TokensPerSecond), value, "Must be a finite number, 0 or more.");
            }

            _tokensPerSecond = value;
        }
    }

    /// <summary>Milliseconds before the first token, like a real model's time to first token. Default 250.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int FirstTokenDelayMs
    {
        get => _firstTokenDelayMs;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value, nameof(FirstTokenDelayMs));
            _firstTokenDelayMs = value;
        }
    }

    /// <summary>Seeds the jitter; with the prompt it makes every request's timing reproducible. Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>
    /// How much each inter-token delay varies: it is scaled by a factor in [1 − Jitter, 1 + Jitter]. From 0 to 1;
    /// default 0.3.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 0..1 or NaN.</exception>
    public double Jitter
    {
        get => _jitter;
        init
        {
            if (value is not (>= 0 and <= 1))
            {
                throw new ArgumentOutOfRangeException(nameof(Jitter), value, "Must be between 0 and 1.");
            }

            _jitter = value;
        }
    }

    /// <summary>The model name the provider reports. Default <c>sluice-simulated-1</c>.</summary>
    /// <exception cref="ArgumentException">The value is null, empty or whitespace.</exception>
    public string Model
    {
        get => _model;
        init
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(value, nameof(Model));
            _model = value;
        }
    }
}
