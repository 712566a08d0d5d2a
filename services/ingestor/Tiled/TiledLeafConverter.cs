using System.Buffers;
using Certstream.Contracts.Ct;
using Certstream.Contracts.Rfc6962;

namespace Certstream.Ingestor.Tiled;

/// <summary>
/// Converts static-ct data tiles to RFC 6962 form (SPEC §3): <c>leaf_input</c> = MerkleTreeLeaf around the TileLeaf's
/// timestamped_entry; <c>extra_data</c> = certificate_chain (x509) or PrecertChainEntry (pre_certificate + chain), the
/// chain being the issuers fetched by fingerprint, issuer first. Reads tiles with Contracts' <see cref="TileReader"/> and
/// writes with its RFC 6962 encoders.
/// </summary>
internal sealed class TiledLeafConverter : ITileLeafSource
{
    public IReadOnlyCollection<string> IssuerFingerprints(ReadOnlyMemory<byte> tile, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        var fingerprints = new HashSet<string>(StringComparer.Ordinal);
        var reader = new TileReader(tile.Span);
        for (var n = 0; n < width; n++)
        {
            var leaf = Next(ref reader, n);
            for (var c = 0; c < leaf.ChainLength; c++)
                fingerprints.Add(Convert.ToHexStringLower(leaf.ChainFingerprint(c)));
        }
        return fingerprints;
    }

    public IReadOnlyList<ConvertedLeaf> ToRfc6962(ReadOnlyMemory<byte> tile, int width, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> issuers)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        var converted = new ConvertedLeaf[width];
        var reader = new TileReader(tile.Span);
        for (var n = 0; n < width; n++)
        {
            var leaf = Next(ref reader, n);
            var chain = new ReadOnlyMemory<byte>[leaf.ChainLength];
            var chainBytes = 0;
            for (var c = 0; c < chain.Length; c++)
            {
                var fingerprint = Convert.ToHexStringLower(leaf.ChainFingerprint(c));
                chain[c] = issuers.TryGetValue(fingerprint, out var der) ? der : throw new InvalidDataException($"leaf {n}: issuer {fingerprint} not supplied");
                chainBytes += 3 + der.Length;
            }

            var entry = leaf.Entry;
            var leafInput = new ArrayBufferWriter<byte>(2 + entry.Encoded.Length);
            var extraData = new ArrayBufferWriter<byte>(3 + chainBytes + (entry.IsPrecert ? 3 + leaf.PreCertificate.Length : 0));
            try
            {
                LeafInputEncoder.WriteTimestampedEntry(leafInput, entry.Encoded);
                if (entry.IsPrecert) ExtraDataEncoder.WritePrecertChainEntry(extraData, leaf.PreCertificate, chain);
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

    // ITileLeafSource's contract: a tile without `width` well-formed leaves is InvalidDataException. Bytes after them are
    // not read (a full tile is read up to the width the caller expects).
    private static TileLeaf Next(ref TileReader reader, int n) =>
        reader.TryReadNext(out var leaf) ? leaf
        : reader.Rejection == CtRejection.None ? throw new InvalidDataException($"tile ends after {n} leaves")
        : throw new InvalidDataException($"leaf {n}: {reader.Rejection}");
}
