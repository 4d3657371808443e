namespace Sluice.ReplayLog;

/// <summary>
/// Who may read and cancel a run, as stored for other nodes: the authenticated principal's id, or the SHA-256 hash of
/// an anonymous owner's resume token (never the token itself).
/// </summary>
/// <param name="Principal">The principal's id; <see langword="null"/> for an anonymous owner.</param>
/// <param name="TokenHash">The resume token's SHA-256, Base64; <see langword="null"/> for a principal.</param>
public sealed record RunOwnerRecord(string? Principal, string? TokenHash);
