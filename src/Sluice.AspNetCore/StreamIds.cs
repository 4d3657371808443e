using System.Buffers.Text;
using System.Security.Cryptography;

namespace Sluice.AspNetCore;

/// <summary>Unguessable, URL-safe identifiers: 128 random bits from the OS CSPRNG, base64url without padding (22 characters).</summary>
internal static class StreamIds
{
    private const int RandomBytes = 16;

    public static string NewId()
    {
        Span<byte> bytes = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(bytes);
        return Base64Url.EncodeToString(bytes);
    }
}
