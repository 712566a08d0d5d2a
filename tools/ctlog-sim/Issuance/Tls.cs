using System.Buffers.Binary;

namespace Certstream.CtLogSim.Issuance;

/// <summary>Big-endian length prefixes and integers of RFC 5246 §4 presentation language, as RFC 6962 uses them.</summary>
internal static class Tls
{
    public static void WriteUInt24(Span<byte> destination, int value)
    {
        if ((uint)value > 0xFFFFFF) throw new ArgumentOutOfRangeException(nameof(value));
        destination[0] = (byte)(value >> 16);
        destination[1] = (byte)(value >> 8);
        destination[2] = (byte)value;
    }

    public static void WriteUInt16(Span<byte> destination, int value)
    {
        if ((uint)value > 0xFFFF) throw new ArgumentOutOfRangeException(nameof(value));
        BinaryPrimitives.WriteUInt16BigEndian(destination, (ushort)value);
    }

    public static void WriteUInt64(Span<byte> destination, long value) =>
        BinaryPrimitives.WriteUInt64BigEndian(destination, (ulong)value);

    /// <summary>An ASN.1Cert list: 3-byte total length, then each certificate with a 3-byte length (RFC 6962 §3.1).</summary>
    public static byte[] CertificateChain(IReadOnlyList<byte[]> certificates)
    {
        var total = certificates.Sum(c => 3 + c.Length);
        var result = new byte[3 + total];
        WriteUInt24(result, total);
        var offset = 3;
        foreach (var cert in certificates)
        {
            WriteUInt24(result.AsSpan(offset), cert.Length);
            cert.CopyTo(result.AsSpan(offset + 3));
            offset += 3 + cert.Length;
        }
        return result;
    }
}
