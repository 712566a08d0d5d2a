namespace Certstream.Contracts.Ct;

/// <summary>RFC 6962 §3.4 MerkleTreeLeaf: the <c>leaf_input</c> of get-entries.</summary>
public static class MerkleTreeLeaf
{
    /// <summary>The two bytes (version v1, leaf_type timestamped_entry) that precede a TimestampedEntry.</summary>
    public static ReadOnlySpan<byte> Prefix => [0, 0];

    /// <summary>
    /// Reads <c>leaf_input</c>. Bytes after the TimestampedEntry are ignored: they do not make the leaf
    /// undecodable, and the leaf hash (which covers them) is not this reader's concern.
    /// </summary>
    public static CtRejection TryRead(ReadOnlySpan<byte> leafInput, out TimestampedEntry entry)
    {
        entry = default;
        if (leafInput.Length < 2)
            return CtRejection.Truncated;
        if (leafInput[0] != 0)
            return CtRejection.UnsupportedVersion;
        if (leafInput[1] != 0)
            return CtRejection.UnsupportedLeafType;
        return TimestampedEntry.TryRead(leafInput[2..], out entry, out _);
    }
}
