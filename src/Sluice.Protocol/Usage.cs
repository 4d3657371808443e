namespace Sluice.Protocol;

/// <summary>Token counts reported by the provider for one stream.</summary>
/// <param name="InputTokens">Tokens in the prompt.</param>
/// <param name="OutputTokens">Tokens generated.</param>
public sealed record Usage(long InputTokens, long OutputTokens)
{
    /// <summary>No tokens counted (the provider reported nothing).</summary>
    public static Usage Zero { get; } = new(0, 0);
}
