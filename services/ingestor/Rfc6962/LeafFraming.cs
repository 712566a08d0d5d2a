using System.Buffers.Binary;

namespace Certstream.Ingestor.Rfc6962;

/// <summary>
/// A cheap structural check of a MerkleTreeLeaf (RFC 6962 §3.4): the length prefixes must add up to the
/// bytes received, which catches truncated or spliced entries without decoding any certificate. Unknown
/// versions, leaf types and entry types pass (the parser decides what to do with them).
/// </summary>
internal static class LeafFraming
{
    public static bool IsWellFormed(ReadOnlySpan<byte> leaf)
    {
        if (leaf.Length < 12) return false;
        if (leaf[0] != 0 || leaf[1] != 0) return true;
        var entryType = BinaryPrimitives.ReadUInt16BigEndian(leaf[10..]);
        int bodyStart = entryType switch
        {
            0 => 12,      // x509_entry: ASN.1Cert
            1 => 12 + 32, // precert_entry: issuer_key_hash, then TBSCertificate
            _ => -1,
        };
        if (bodyStart < 0) return true;
        if (leaf.Length < bodyStart + 3) return false;
        var certLength = (leaf[bodyStart] << 16) | (leaf[bodyStart + 1] << 8) | leaf[bodyStart + 2];
        var extensionsAt = (long)bodyStart + 3 + certLength;
        if (certLength == 0 || leaf.Length < extensionsAt + 2) return false;
        var extensionsLength = BinaryPrimitives.ReadUInt16BigEndian(leaf[(int)extensionsAt..]);
        return leaf.Length == extensionsAt + 2 + extensionsLength;
    }
}
