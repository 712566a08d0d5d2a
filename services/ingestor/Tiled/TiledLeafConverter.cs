using Certstream.Contracts.Ct;
using Certstream.Contracts.Rfc6962;

namespace Certstream.Ingestor.Tiled;

/// <summary>
/// Converts static-ct data tiles to RFC 6962 form with Contracts' <see cref="TileLeafConversion"/>, the chain being the
/// issuers fetched by fingerprint, issuer first; every issuer must be there. Reads tiles with Contracts' <see cref="TileReader"/>.
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
            for (var c = 0; c < chain.Length; c++)
            {
                var fingerprint = Convert.ToHexStringLower(leaf.ChainFingerprint(c));
                chain[c] = issuers.TryGetValue(fingerprint, out var der) ? der : throw new InvalidDataException($"leaf {n}: issuer {fingerprint} not supplied");
            }

            try
            {
                var (leafInput, extraData) = TileLeafConversion.ToRfc6962(leaf, chain);
                converted[n] = new ConvertedLeaf(leafInput, extraData);
            }
            catch (ArgumentException e)
            {
                // The encoders check RFC 6962's length limits; a tile breaking them is malformed, not a bug.
                throw new InvalidDataException($"leaf {n}: {e.Message}", e);
            }
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
