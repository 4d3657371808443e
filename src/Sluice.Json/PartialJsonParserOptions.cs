namespace Sluice.Json;

/// <summary>Bounds of a <see cref="PartialJsonParser"/>.</summary>
public sealed record PartialJsonParserOptions
{
    /// <summary>The defaults: a nesting depth of 64, as <see cref="System.Text.Json.JsonDocumentOptions"/> has.</summary>
    public static PartialJsonParserOptions Default { get; } = new();

    /// <summary>The deepest nesting of arrays and objects accepted; deeper input is invalid. Default 64.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Less than 1.</exception>
    public int MaxDepth
    {
        get;
        init => field = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxDepth), value, "Must be at least 1.");
    } = 64;
}
