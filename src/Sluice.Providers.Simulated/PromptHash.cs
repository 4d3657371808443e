using System.Globalization;

namespace Sluice.Providers.Simulated;

/// <summary>64-bit FNV-1a over UTF-8.</summary>
/// <remarks>
/// <see cref="string.GetHashCode()"/> is randomized per process, so it cannot pick the same answer (or tool-call id)
/// for the same prompt across restarts and machines; FNV-1a is stable and cheap.
/// </remarks>
internal static class PromptHash
{
    private const ulong OffsetBasis = 14695981039346656037;
    private const ulong Prime = 1099511628211;

    public static ulong Compute(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = OffsetBasis;
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in text.EnumerateRunes())
        {
            var length = rune.EncodeToUtf8(utf8);
            foreach (var b in utf8[..length])
            {
                hash = unchecked((hash ^ b) * Prime);
            }
        }

        return hash;
    }

    /// <summary>The hash as 16 lowercase hex digits.</summary>
    public static string ToHex(ulong hash) => hash.ToString("x16", CultureInfo.InvariantCulture);
}
