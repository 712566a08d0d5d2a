using System.Buffers;
using System.Buffers.Binary;

namespace Certstream.Contracts.Rfc6962;

/// <summary>
/// Builds <c>leaf_input</c>: a v1 MerkleTreeLeaf holding a TimestampedEntry (RFC 6962 §3.4), as the ingestor
/// makes it from a static-ct-api TileLeaf. Arguments are checked before anything is written, so a bad one
/// leaves <c>output</c> untouched.
/// </summary>
public static class LeafInputEncoder
{
    /// <summary>The most bytes an ASN.1Cert or TBSCertificate may have (a 24-bit length).</summary>
    public const int MaxCertificateLength = 0xFFFFFF;

    /// <summary>The bytes of an issuer_key_hash (SHA-256).</summary>
    public const int IssuerKeyHashLength = 32;

    // version v1 (0), leaf_type timestamped_entry (0).
    private const int LeafHeaderLength = 2;

    // timestamp (8) + entry_type (2).
    private const int EntryHeaderLength = 10;

    /// <summary>An <c>x509_entry</c>: the certificate's DER.</summary>
    /// <param name="timestamp">Milliseconds since the Unix epoch, as in the SCT.</param>
    /// <param name="extensions">CtExtensions' content (empty for RFC 6962 logs; the leaf_index extension for static-ct logs).</param>
    public static void WriteX509Entry(IBufferWriter<byte> output, ulong timestamp, ReadOnlySpan<byte> certificate, ReadOnlySpan<byte> extensions)
    {
        ArgumentNullException.ThrowIfNull(output);
        CheckCertificate(certificate, nameof(certificate));
        CheckExtensions(extensions);
        var length = LeafHeaderLength + EntryHeaderLength + 3 + certificate.Length + 2 + extensions.Length;
        var span = output.GetSpan(length);
        var at = WriteHeaders(span, timestamp, entryType: 0);
        at = TlsEncoding.WriteOpaque24(span, at, certificate);
        TlsEncoding.WriteOpaque16(span, at, extensions);
        output.Advance(length);
    }

    /// <summary>A <c>precert_entry</c>: the issuer's key hash and the TBSCertificate without the poison extension.</summary>
    /// <param name="timestamp">Milliseconds since the Unix epoch, as in the SCT.</param>
    /// <param name="extensions">CtExtensions' content (empty for RFC 6962 logs; the leaf_index extension for static-ct logs).</param>
    public static void WritePrecertEntry(
        IBufferWriter<byte> output, ulong timestamp, ReadOnlySpan<byte> issuerKeyHash, ReadOnlySpan<byte> tbsCertificate, ReadOnlySpan<byte> extensions)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (issuerKeyHash.Length != IssuerKeyHashLength)
            throw new ArgumentException($"issuer_key_hash has {issuerKeyHash.Length} bytes, not {IssuerKeyHashLength}", nameof(issuerKeyHash));
        CheckCertificate(tbsCertificate, nameof(tbsCertificate));
        CheckExtensions(extensions);
        var length = LeafHeaderLength + EntryHeaderLength + IssuerKeyHashLength + 3 + tbsCertificate.Length + 2 + extensions.Length;
        var span = output.GetSpan(length);
        var at = WriteHeaders(span, timestamp, entryType: 1);
        issuerKeyHash.CopyTo(span[at..]);
        at = TlsEncoding.WriteOpaque24(span, at + IssuerKeyHashLength, tbsCertificate);
        TlsEncoding.WriteOpaque16(span, at, extensions);
        output.Advance(length);
    }

    /// <summary>
    /// A MerkleTreeLeaf around a whole TimestampedEntry, e.g. the first part of a static-ct-api TileLeaf
    /// (which holds exactly these bytes), so a tiled entry converts without re-encoding.
    /// </summary>
    public static void WriteTimestampedEntry(IBufferWriter<byte> output, ReadOnlySpan<byte> timestampedEntry)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (timestampedEntry.Length < EntryHeaderLength)
            throw new ArgumentException($"a TimestampedEntry has at least {EntryHeaderLength} bytes", nameof(timestampedEntry));
        var length = LeafHeaderLength + timestampedEntry.Length;
        var span = output.GetSpan(length);
        span[0] = 0;
        span[1] = 0;
        timestampedEntry.CopyTo(span[LeafHeaderLength..]);
        output.Advance(length);
    }

    private static int WriteHeaders(Span<byte> span, ulong timestamp, ushort entryType)
    {
        span[0] = 0;
        span[1] = 0;
        BinaryPrimitives.WriteUInt64BigEndian(span[2..], timestamp);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], entryType);
        return LeafHeaderLength + EntryHeaderLength;
    }

    private static void CheckCertificate(ReadOnlySpan<byte> certificate, string name)
    {
        if (certificate.Length is 0 or > MaxCertificateLength)
            throw new ArgumentException($"{name} has {certificate.Length} bytes; RFC 6962 allows 1 to {MaxCertificateLength}", name);
    }

    private static void CheckExtensions(ReadOnlySpan<byte> extensions)
    {
        if (extensions.Length > ushort.MaxValue)
            throw new ArgumentException($"CtExtensions has {extensions.Length} bytes; at most {ushort.MaxValue} fit", nameof(extensions));
    }
}
