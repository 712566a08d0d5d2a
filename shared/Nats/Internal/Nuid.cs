using System.Security.Cryptography;

namespace Certstream.Nats.Internal;

/// <summary>22 random base62 characters, as NATS inbox prefixes use (§2).</summary>
internal static class Nuid
{
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    public static string Next()
    {
        Span<byte> random = stackalloc byte[22];
        RandomNumberGenerator.Fill(random);
        Span<char> chars = stackalloc char[22];
        for (var i = 0; i < chars.Length; i++) chars[i] = Alphabet[random[i] % 62];
        return new string(chars);
    }
}
