using System.Runtime.InteropServices;

namespace Certstream.Nats.Internal;

/// <summary>22 random base62 characters, as NATS inbox prefixes use (§2).</summary>
internal static class Nuid
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Next()
    {
        // Guid.NewGuid reads the OS's secure random source through System.Native; RandomNumberGenerator would load
        // OpenSSL (libcrypto, about 5 MB resident) into every service for this one call.
        Span<byte> random = stackalloc byte[32];
        MemoryMarshal.Write(random, Guid.NewGuid());
        MemoryMarshal.Write(random[16..], Guid.NewGuid());
        Span<char> chars = stackalloc char[22];
        var used = 0;
        for (var i = 0; i < random.Length && used < chars.Length; i++)
        {
            if (i % 16 is 7 or 8) continue; // a version 4 GUID's version and variant bits are fixed
            chars[used++] = Alphabet[random[i] % 62];
        }
        return new string(chars);
    }
}
