using System.Buffers.Binary;

namespace Certstream.Ingestor.Tiled;

/// <summary>
/// INTERIM: the ingestor's own static-ct-api TileLeaf parser (ct-protocols §2.4), until the shared TileLeaf reader in
/// <c>shared/Contracts/Ct/</c> lands; the integrator swaps <see cref="TiledLeafConverter"/> over to it and deletes this.
/// <code>
/// TileLeaf = timestamped_entry (timestamp u64, entry_type u16, x509: ASN.1Cert&lt;1..2^24-1&gt; |
///            precert: issuer_key_hash[32] TBSCertificate&lt;1..2^24-1&gt;, extensions&lt;0..2^16-1&gt;)
///            [precert: pre_certificate ASN.1Cert&lt;1..2^24-1&gt;]
///            certificate_fingerprints / precertificate_chain_fingerprints &lt;0..2^16-1&gt; of 32-byte SHA-256
/// </code>
/// </summary>
internal static class TileLeafReader
{
    public const int FingerprintLength = 32;

    /// <summary>Where one leaf's parts lie in the tile.</summary>
    internal readonly record struct TileLeaf(ushort EntryType, Range TimestampedEntry, Range PreCertificate, Range Fingerprints)
    {
        public bool IsPrecert => EntryType == 1;
    }

    /// <summary>The first <paramref name="width"/> leaves; throws <see cref="InvalidDataException"/> on a malformed tile.</summary>
    public static TileLeaf[] Read(ReadOnlySpan<byte> tile, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(width);
        var leaves = new TileLeaf[width];
        var at = 0;
        for (var n = 0; n < width; n++)
        {
            var start = at;
            Need(tile, at, 10, n);
            var entryType = BinaryPrimitives.ReadUInt16BigEndian(tile[(at + 8)..]);
            at += 10;
            if (entryType == 1)
            {
                Need(tile, at, 32, n);
                at += 32; // issuer_key_hash
            }
            else if (entryType != 0)
            {
                throw new InvalidDataException($"leaf {n}: unknown entry type {entryType}");
            }
            at = SkipOpaque24(tile, at, n, allowEmpty: false);
            at = SkipOpaque16(tile, at, n); // extensions
            var entry = start..at;
            var preCertificate = at..at;
            if (entryType == 1)
            {
                var preStart = at + 3;
                at = SkipOpaque24(tile, at, n, allowEmpty: false);
                preCertificate = preStart..at;
            }
            Need(tile, at, 2, n);
            var chainLength = BinaryPrimitives.ReadUInt16BigEndian(tile[at..]);
            if (chainLength % FingerprintLength != 0) throw new InvalidDataException($"leaf {n}: fingerprint list of {chainLength} bytes");
            at += 2;
            Need(tile, at, chainLength, n);
            leaves[n] = new TileLeaf(entryType, entry, preCertificate, at..(at + chainLength));
            at += chainLength;
        }
        return leaves;
    }

    private static int SkipOpaque24(ReadOnlySpan<byte> tile, int at, int leaf, bool allowEmpty)
    {
        Need(tile, at, 3, leaf);
        var length = (tile[at] << 16) | (tile[at + 1] << 8) | tile[at + 2];
        if (length == 0 && !allowEmpty) throw new InvalidDataException($"leaf {leaf}: empty certificate");
        Need(tile, at + 3, length, leaf);
        return at + 3 + length;
    }

    private static int SkipOpaque16(ReadOnlySpan<byte> tile, int at, int leaf)
    {
        Need(tile, at, 2, leaf);
        var length = BinaryPrimitives.ReadUInt16BigEndian(tile[at..]);
        Need(tile, at + 2, length, leaf);
        return at + 2 + length;
    }

    private static void Need(ReadOnlySpan<byte> tile, int at, int count, int leaf)
    {
        if ((long)at + count > tile.Length) throw new InvalidDataException($"tile ends inside leaf {leaf}");
    }
}
