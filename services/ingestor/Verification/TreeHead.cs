namespace Certstream.Ingestor.Verification;

/// <summary>
/// A tree head as a log signed it (RFC 6962 §3.5): <see cref="Signature"/> is the TLS <c>DigitallySigned</c> over the
/// TreeHeadSignature of (timestamp, tree size, root hash) — from <c>get-sth</c>, or from a checkpoint's RFC 6962 note signature
/// (empty when the checkpoint carries none for this log).
/// </summary>
internal sealed record TreeHead(ulong TreeSize, ulong Timestamp, byte[] RootHash, byte[] Signature)
{
    /// <summary>Whether <paramref name="other"/> is the very same signed head (logs re-serve one head between publications).</summary>
    public bool SameAs(TreeHead? other) =>
        other is not null && other.TreeSize == TreeSize && other.Timestamp == Timestamp
        && other.RootHash.AsSpan().SequenceEqual(RootHash) && other.Signature.AsSpan().SequenceEqual(Signature);
}
