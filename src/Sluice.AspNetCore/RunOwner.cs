using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Sluice.ReplayLog;

namespace Sluice.AspNetCore;

/// <summary>
/// Who may read and cancel a run: the authenticated principal that started it, or, for an anonymous start, whoever
/// presents its resume token. A stream id alone proves nothing (ids leak into logs and URLs).
/// </summary>
internal sealed class RunOwner
{
    private readonly string? _principal;
    private readonly byte[]? _tokenHash;

    private RunOwner(string? principal, byte[]? tokenHash)
    {
        _principal = principal;
        _tokenHash = tokenHash;
    }

    /// <summary>Records who starts a run; for an anonymous caller, mints the resume token they must keep.</summary>
    public static RunOwner For(HttpContext context, out string? resumeToken)
    {
        if (PrincipalId(context.User) is { } principal)
        {
            resumeToken = null;
            return new RunOwner(principal, null);
        }

        resumeToken = StreamIds.NewId();
        return new RunOwner(null, Hash(resumeToken));
    }

    /// <summary>The owner as another node stored it (<see cref="IRunDirectory"/>).</summary>
    public static RunOwner FromRecord(RunOwnerRecord record) =>
        new(record.Principal, record.TokenHash is null ? null : Convert.FromBase64String(record.TokenHash));

    /// <summary>The owner as other nodes store it: the principal, or the token's hash (never the token).</summary>
    public RunOwnerRecord ToRecord() => new(_principal, _tokenHash is null ? null : Convert.ToBase64String(_tokenHash));

    /// <summary>
    /// Who the caller is, for <see cref="LimitOptions.MaxRunsPerPrincipal"/>: the authenticated principal, or for an
    /// anonymous caller (whose resume tokens are fresh per run, so they name nobody) the client's IP address;
    /// <see langword="null"/> when neither is known (no per-caller limit then).
    /// </summary>
    public static string? CallerKey(HttpContext context)
    {
        if (PrincipalId(context.User) is { } principal)
        {
            return "principal:" + principal;
        }

        return context.Connection.RemoteIpAddress is { } address ? "ip:" + address : null;
    }

    /// <summary>Whether the request proves ownership: same principal, or the right token (compared in constant time).</summary>
    public bool Admits(HttpContext context)
    {
        if (_principal is not null)
        {
            return string.Equals(PrincipalId(context.User), _principal, StringComparison.Ordinal);
        }

        var presented = PresentedToken(context.Request);
        // Hashing first gives both sides the same length, so FixedTimeEquals leaks nothing about the token either.
        return presented is not null && CryptographicOperations.FixedTimeEquals(Hash(presented), _tokenHash);
    }

    private static string? PresentedToken(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        if (authorization.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase))
        {
            return authorization[Bearer.Length..].Trim();
        }

        // A browser's EventSource cannot set headers, so the token may come in the query string instead.
        return request.Query.TryGetValue("token", out var token) ? token.ToString() : null;
    }

    /// <summary>The authenticated principal's id (name identifier, <c>sub</c> or name), or <see langword="null"/> for an anonymous caller.</summary>
    public static string? PrincipalOf(HttpContext context) => PrincipalId(context.User);

    private static string? PrincipalId(ClaimsPrincipal user) =>
        user.Identity?.IsAuthenticated == true
            ? user.FindFirst(ClaimTypes.NameIdentifier)?.Value ?? user.FindFirst("sub")?.Value ?? user.Identity.Name
            : null;

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));
}
