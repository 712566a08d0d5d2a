namespace Certstream.Contracts.Ct;

/// <summary>
/// RFC 6962 §3.4 TimestampedEntry, as it appears in a MerkleTreeLeaf and (byte for byte) at the start of a
/// static-ct-api TileLeaf. The spans point into the caller's buffer.
/// </summary>
public readonly ref struct TimestampedEntry
{
    /// <summary>Milliseconds since the Unix epoch (the SCT timestamp).</summary>
    public ulong Timestamp { get; init; }

    public LogEntryType EntryType { get; init; }

    /// <summary>The leaf certificate's DER for x509_entry; the defanged TBSCertificate's DER for precert_entry.</summary>
    public ReadOnlySpan<byte> Certificate { get; init; }

    /// <summary>SHA-256 of the issuer's SubjectPublicKeyInfo (precert_entry only; empty otherwise).</summary>
    public ReadOnlySpan<byte> IssuerKeyHash { get; init; }

    /// <summary>The CtExtensions body (without its 2-byte length). Static-ct logs put leaf_index here.</summary>
    public ReadOnlySpan<byte> Extensions { get; init; }

    /// <summary>Every byte of the TimestampedEntry, so a tile leaf can be re-framed as a MerkleTreeLeaf.</summary>
    public ReadOnlySpan<byte> Encoded { get; init; }

    public bool IsPrecert => EntryType == LogEntryType.PrecertEntry;

    /// <summary>Reads one TimestampedEntry from the start of <paramref name="data"/>; <paramref name="consumed"/> is its length.</summary>
    public static CtRejection TryRead(ReadOnlySpan<byte> data, out TimestampedEntry entry, out int consumed)
    {
        entry = default;
        consumed = 0;
        var reader = new TlsReader(data);
        if (!reader.TryReadUInt64(out var timestamp) || !reader.TryReadUInt16(out var type))
            return CtRejection.Truncated;

        ReadOnlySpan<byte> issuerKeyHash = default;
        ReadOnlySpan<byte> certificate;
        switch ((LogEntryType)type)
        {
            case LogEntryType.X509Entry:
                if (!reader.TryReadOpaque24(out certificate))
                    return CtRejection.Truncated;
                break;
            case LogEntryType.PrecertEntry:
                if (!reader.TryReadBytes(32, out issuerKeyHash) || !reader.TryReadOpaque24(out certificate))
                    return CtRejection.Truncated;
                break;
            default:
                return CtRejection.UnknownEntryType;
        }

        if (certificate.IsEmpty)
            return CtRejection.EmptyCertificate;
        if (!reader.TryReadOpaque16(out var extensions))
            return CtRejection.Truncated;

        consumed = reader.Position;
        entry = new TimestampedEntry
        {
            Timestamp = timestamp,
            EntryType = (LogEntryType)type,
            Certificate = certificate,
            IssuerKeyHash = issuerKeyHash,
            Extensions = extensions,
            Encoded = data[..consumed],
        };
        return CtRejection.None;
    }
}
