namespace Certstream.Contracts.Ct;

/// <summary>One static-ct-api TileLeaf (c2sp.org/static-ct-api, data tiles). Spans point into the tile.</summary>
public readonly ref struct TileLeaf
{
    public TimestampedEntry Entry { get; init; }

    /// <summary>The full submitted precertificate DER (precert_entry only; empty otherwise).</summary>
    public ReadOnlySpan<byte> PreCertificate { get; init; }

    /// <summary>The chain as N consecutive 32-byte SHA-256 fingerprints, issuer first.</summary>
    public ReadOnlySpan<byte> ChainFingerprints { get; init; }

    public int ChainLength => ChainFingerprints.Length / 32;

    public ReadOnlySpan<byte> ChainFingerprint(int i) => ChainFingerprints.Slice(i * 32, 32);

    /// <summary>The leaf_index extension of the entry, when present.</summary>
    public bool TryGetLeafIndex(out ulong leafIndex) => CtExtensions.TryGetLeafIndex(Entry.Extensions, out leafIndex);
}
