namespace Sluice.Json;

/// <summary>Where a <see cref="PartialJsonParser"/> stands after the input it has been fed.</summary>
public enum PartialJsonStatus
{
    /// <summary>The input so far is a valid prefix of a JSON document; more is expected.</summary>
    Incomplete,

    /// <summary>The input is one complete JSON value (only whitespace may follow).</summary>
    Complete,

    /// <summary>The input cannot be the start of a JSON document; <see cref="PartialJsonParser.Error"/> says why and where.</summary>
    Invalid,
}
