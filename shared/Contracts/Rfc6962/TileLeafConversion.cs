using System.Buffers;
using Certstream.Contracts.Ct;

namespace Certstream.Contracts.Rfc6962;

/// <summary>
/// A static-ct-api TileLeaf in RFC 6962 form, as <c>CT_RAW</c> carries every entry (README "NATS subjects"): <c>leaf_input</c>
/// = MerkleTreeLeaf around the leaf's timestamped_entry; <c>extra_data</c> = certificate_chain (x509) or PrecertChainEntry
/// (the leaf's pre_certificate and the chain). The ingestor converts with it, and so does the parser's <c>decode --tiled</c>.
/// </summary>
public static class TileLeafConversion
{
    /// <param name="chain">The issuers' DER in the leaf's order (issuer first), as resolved from its fingerprints.</param>
    /// <exception cref="ArgumentException">A certificate or the chain is beyond RFC 6962's length limits.</exception>
    public static (ReadOnlyMemory<byte> LeafInput, ReadOnlyMemory<byte> ExtraData) ToRfc6962(in TileLeaf leaf, ReadOnlySpan<ReadOnlyMemory<byte>> chain)
    {
        var chainBytes = 0;
        foreach (var der in chain)
            chainBytes += 3 + der.Length;
        var entry = leaf.Entry;
        var leafInput = new ArrayBufferWriter<byte>(2 + entry.Encoded.Length);
        var extraData = new ArrayBufferWriter<byte>(3 + chainBytes + (entry.IsPrecert ? 3 + leaf.PreCertificate.Length : 0));
        LeafInputEncoder.WriteTimestampedEntry(leafInput, entry.Encoded);
        if (entry.IsPrecert)
            ExtraDataEncoder.WritePrecertChainEntry(extraData, leaf.PreCertificate, chain);
        else
            ExtraDataEncoder.WriteCertificateChain(extraData, chain);
        return (leafInput.WrittenMemory, extraData.WrittenMemory);
    }
}
