using Certstream.CtLogSim.Issuance;

namespace Certstream.CtLogSim.Logs;

/// <summary>
/// One sequenced entry: the MerkleTreeLeaf it was hashed as, plus what extra_data and tiles are built from.
/// The certificate (or precert TBS) is kept only inside LeafInput, so a long run holds each byte once.
/// </summary>
internal sealed class LogEntry
{
    public LogEntry(long index, long timestamp, IssuedCertificate certificate, bool leafIndexExtension)
    {
        Index = index;
        Timestamp = timestamp;
        IsPrecert = certificate.IsPrecert;
        Precertificate = certificate.IsPrecert ? certificate.Der : null;
        Issuer = certificate.Issuer;
        Facts = certificate.Facts;
        LeafInput = BuildLeafInput(index, timestamp, certificate, leafIndexExtension);
        LeafHash = MerkleTree.LeafHash(LeafInput);
    }

    public long Index { get; }
    public long Timestamp { get; }
    public bool IsPrecert { get; }

    /// <summary>The precertificate as submitted (with poison and signature); null for x509 entries.</summary>
    public byte[]? Precertificate { get; }
    public CertificateAuthority Issuer { get; }
    public CertificateFacts Facts { get; }

    /// <summary>The ASN.1Cert of an x509 entry, or the poison-free TBSCertificate of a precert entry, inside LeafInput.</summary>
    public ReadOnlyMemory<byte> LoggedCertificate
    {
        get
        {
            var offset = 12 + (IsPrecert ? 32 : 0);
            var length = (LeafInput[offset] << 16) | (LeafInput[offset + 1] << 8) | LeafInput[offset + 2];
            return LeafInput.AsMemory(offset + 3, length);
        }
    }

    /// <summary>RFC 6962 §3.4 MerkleTreeLeaf (v1, timestamped_entry).</summary>
    public byte[] LeafInput { get; }
    public byte[] LeafHash { get; }

    /// <summary>RFC 6962 §4.6 extra_data: the chain (x509_entry) or PrecertChainEntry (precert_entry).</summary>
    public byte[] ExtraData()
    {
        var chain = Issuer.ChainList;
        if (Precertificate is not { } precert) return (byte[])chain.Clone();
        var result = new byte[3 + precert.Length + chain.Length];
        Tls.WriteUInt24(result, precert.Length);
        precert.CopyTo(result.AsSpan(3));
        chain.CopyTo(result.AsSpan(3 + precert.Length));
        return result;
    }

    /// <summary>c2sp.org/static-ct-api TileLeaf: TimestampedEntry, the precert if any, then the chain's fingerprints.</summary>
    public int TileLeafLength => LeafInput.Length - 2 + (Precertificate is { } p ? 3 + p.Length : 0) + 2 + 64;

    public void WriteTileLeaf(Span<byte> destination)
    {
        LeafInput.AsSpan(2).CopyTo(destination);
        var offset = LeafInput.Length - 2;
        if (Precertificate is { } precert)
        {
            Tls.WriteUInt24(destination[offset..], precert.Length);
            precert.CopyTo(destination[(offset + 3)..]);
            offset += 3 + precert.Length;
        }
        Tls.WriteUInt16(destination[offset..], 64);
        Issuer.IntermediateSha256.CopyTo(destination[(offset + 2)..]);
        Issuer.RootSha256.CopyTo(destination[(offset + 34)..]);
    }

    public byte[] TileLeaf()
    {
        var result = new byte[TileLeafLength];
        WriteTileLeaf(result);
        return result;
    }

    private static byte[] BuildLeafInput(long index, long timestamp, IssuedCertificate cert, bool leafIndexExtension)
    {
        // static-ct-api §SCT extension: leaf_index (type 0, 5-byte big-endian) is the only extension.
        var extensionsLength = leafIndexExtension ? 8 : 0;
        var body = cert.IsPrecert ? cert.PrecertTbs! : cert.Der;
        var length = 2 + 8 + 2 + (cert.IsPrecert ? 32 : 0) + 3 + body.Length + 2 + extensionsLength;
        var result = new byte[length];
        var span = result.AsSpan();
        span[0] = 0; // version v1
        span[1] = 0; // leaf_type timestamped_entry
        Tls.WriteUInt64(span[2..], timestamp);
        Tls.WriteUInt16(span[10..], cert.IsPrecert ? 1 : 0);
        var offset = 12;
        if (cert.IsPrecert)
        {
            cert.Issuer.IntermediateSpkiSha256.CopyTo(span[offset..]);
            offset += 32;
        }
        Tls.WriteUInt24(span[offset..], body.Length);
        body.CopyTo(span[(offset + 3)..]);
        offset += 3 + body.Length;
        Tls.WriteUInt16(span[offset..], extensionsLength);
        if (leafIndexExtension)
        {
            span[offset + 2] = 0; // extension_type leaf_index
            Tls.WriteUInt16(span[(offset + 3)..], 5);
            for (var i = 0; i < 5; i++) span[offset + 5 + i] = (byte)(index >> (8 * (4 - i)));
        }
        return result;
    }
}
