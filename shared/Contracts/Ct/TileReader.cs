namespace Certstream.Contracts.Ct;

/// <summary>
/// Reads the TileLeaf sequence of a static-ct-api data tile (full or partial). Stops at the first malformed
/// leaf with <see cref="Rejection"/> set: a tile has no framing to resynchronise on, so what follows is lost.
/// </summary>
public ref struct TileReader
{
    private TlsReader _reader;

    public TileReader(ReadOnlySpan<byte> tile)
    {
        _reader = new TlsReader(tile);
        Rejection = CtRejection.None;
        Count = 0;
    }

    /// <summary>Why reading stopped early; <see cref="CtRejection.None"/> after a clean end.</summary>
    public CtRejection Rejection { get; private set; }

    /// <summary>Leaves read so far (the next leaf's position in the tile).</summary>
    public int Count { get; private set; }

    public bool TryReadNext(out TileLeaf leaf)
    {
        leaf = default;
        if (Rejection != CtRejection.None || _reader.Remaining == 0)
            return false;

        var rejection = TimestampedEntry.TryRead(_reader.Rest, out var entry, out var consumed);
        if (rejection != CtRejection.None)
            return Stop(rejection);
        _reader.TryReadBytes(consumed, out _);

        ReadOnlySpan<byte> preCertificate = default;
        if (entry.IsPrecert)
        {
            if (!_reader.TryReadOpaque24(out preCertificate))
                return Stop(CtRejection.Truncated);
            if (preCertificate.IsEmpty)
                return Stop(CtRejection.EmptyCertificate);
        }
        if (!_reader.TryReadOpaque16(out var fingerprints))
            return Stop(CtRejection.Truncated);
        if (fingerprints.Length % 32 != 0)
            return Stop(CtRejection.BadFingerprintList);

        leaf = new TileLeaf { Entry = entry, PreCertificate = preCertificate, ChainFingerprints = fingerprints };
        Count++;
        return true;
    }

    private bool Stop(CtRejection rejection)
    {
        Rejection = rejection;
        return false;
    }
}
