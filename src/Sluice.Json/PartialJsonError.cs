namespace Sluice.Json;

/// <summary>Why the input is not JSON, and where.</summary>
/// <param name="Position">Zero-based offset, in UTF-8 bytes from the start of the input, of the byte that made the input invalid (the input's length when it ended too early).</param>
/// <param name="Message">What was expected there and what was found, in words.</param>
public sealed record PartialJsonError(long Position, string Message)
{
    /// <summary>The message with its position, e.g. <c>at byte 7: expected ':' after a property name, found '1'</c>.</summary>
    public override string ToString() => $"at byte {Position}: {Message}";
}
