using System.Buffers;
using Certstream.Contracts.Rfc6962;

namespace Certstream.Ingestor.Tiled;

/// <summary>
/// Converts static-ct data tiles to RFC 6962 form (SPEC §3): <c>leaf_input</c> = MerkleTreeLeaf around the TileLeaf's
/// timestamped_entry; <c>extra_data</c> = certificate_chain (x509) or PrecertChainEntry (pre_certificate + chain), the
/// chain being the issuers fetched by fingerprint, issuer first. Uses Contracts' encoders; the tile parsing is the
/// interim <see cref="TileLeafReader"/> (swap for the shared reader once it is in Contracts).
/// </summary>
internal sealed class TiledLeafConverter : ITileLeafSource
{
    public IReadOnlyCollection<string> IssuerFingerprints(ReadOnlyMemory<byte> tile, int width)
    {
        var span = tile.Span;
        var fingerprints = new HashSet<string>(StringComparer.Ordinal);
        foreach (var leaf in TileLeafReader.Read(span, width))
        {
            var list = span[leaf.Fingerprints];
            for (var i = 0; i < list.Length; i += TileLeafReader.FingerprintLength)
                fingerprints.Add(Convert.ToHexStringLower(list.Slice(i, TileLeafReader.FingerprintLength)));
        }
        return fingerprints;
    }

    public IReadOnlyList<ConvertedLeaf> ToRfc6962(ReadOnlyMemory<byte> tile, int width, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> issuers)
    {
        var span = tile.Span;
        var leaves = TileLeafReader.Read(span, width);
        var converted = new ConvertedLeaf[leaves.Length];
        for (var n = 0; n < leaves.Length; n++)
        {
            var leaf = leaves[n];
            var list = span[leaf.Fingerprints];
            var chain = new ReadOnlyMemory<byte>[list.Length / TileLeafReader.FingerprintLength];
            var chainBytes = 0;
            for (var c = 0; c < chain.Length; c++)
            {
                var fingerprint = Convert.ToHexStringLower(list.Slice(c * TileLeafReader.FingerprintLength, TileLeafReader.FingerprintLength));
                chain[c] = issuers.TryGetValue(fingerprint, out var der) ? der : throw new InvalidDataException($"leaf {n}: issuer {fingerprint} not supplied");
                chainBytes += 3 + der.Length;
            }

            var entry = span[leaf.TimestampedEntry];
            var leafInput = new ArrayBufferWriter<byte>(2 + entry.Length);
            var extraData = new ArrayBufferWriter<byte>(3 + chainBytes + (leaf.IsPrecert ? 3 + leaf.PreCertificate.GetOffsetAndLength(span.Length).Length : 0));
            try
            {
                LeafInputEncoder.WriteTimestampedEntry(leafInput, entry);
                if (leaf.IsPrecert) ExtraDataEncoder.WritePrecertChainEntry(extraData, span[leaf.PreCertificate], chain);
                else ExtraDataEncoder.WriteCertificateChain(extraData, chain);
            }
            catch (ArgumentException e)
            {
                // The encoders check RFC 6962's length limits; a tile breaking them is malformed, not a bug.
                throw new InvalidDataException($"leaf {n}: {e.Message}", e);
            }
            converted[n] = new ConvertedLeaf(leafInput.WrittenMemory, extraData.WrittenMemory);
        }
        return converted;
    }
}
