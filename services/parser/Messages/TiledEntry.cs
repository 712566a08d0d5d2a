using Certstream.Contracts.Ct;

namespace Certstream.Parser.Messages;

/// <summary>
/// Re-frames a static-ct-api TileLeaf into RFC 6962 form (SPEC §3): leaf_input = MerkleTreeLeaf prefix ‖
/// timestamped_entry; extra_data = certificate_chain, or PrecertChainEntry with the tile's pre_certificate,
/// the chain resolved from issuer fingerprints. So the parser has a single input format.
/// </summary>
public static class TiledEntry
{
    /// <param name="missingIssuers">Fingerprints the source could not resolve; those chain elements are left out.</param>
    public static LogEntryInput ToLogEntryInput(
        in TileLeaf leaf, string logUrl, string logName, string logOperator, ulong index, double fetchedAt,
        IIssuerSource? issuers, out int missingIssuers)
    {
        var entry = leaf.Entry;
        var leafInput = new byte[2 + entry.Encoded.Length];
        entry.Encoded.CopyTo(leafInput.AsSpan(2)); // prefix bytes 00 00: v1, timestamped_entry

        missingIssuers = 0;
        var chain = new List<ReadOnlyMemory<byte>>(leaf.ChainLength);
        for (var i = 0; i < leaf.ChainLength; i++)
        {
            if (issuers is not null && issuers.TryGet(leaf.ChainFingerprint(i), out var der) && !der.IsEmpty && der.Length < 1 << 24)
                chain.Add(der);
            else
                missingIssuers++;
        }

        var chainBody = 0;
        foreach (var der in chain)
            chainBody += 3 + der.Length;
        var preCertificate = leaf.PreCertificate;
        var prefix = entry.IsPrecert ? 3 + preCertificate.Length : 0;
        var extraData = new byte[prefix + 3 + chainBody];
        var pos = 0;
        if (entry.IsPrecert)
        {
            WriteUInt24(extraData, ref pos, preCertificate.Length);
            preCertificate.CopyTo(extraData.AsSpan(pos));
            pos += preCertificate.Length;
        }
        WriteUInt24(extraData, ref pos, chainBody);
        foreach (var der in chain)
        {
            WriteUInt24(extraData, ref pos, der.Length);
            der.Span.CopyTo(extraData.AsSpan(pos));
            pos += der.Length;
        }

        return new LogEntryInput(logUrl, logName, logOperator, LogType.Tiled, index, leafInput, extraData, fetchedAt);
    }

    private static void WriteUInt24(byte[] buffer, ref int pos, int value)
    {
        buffer[pos++] = (byte)(value >> 16);
        buffer[pos++] = (byte)(value >> 8);
        buffer[pos++] = (byte)value;
    }
}
