using System.Buffers;

namespace Certstream.Contracts.Rfc6962;

/// <summary>
/// Builds <c>extra_data</c> as get-entries serves it (RFC 6962 §4.6), as the ingestor makes it for a tiled
/// log's entry from the TileLeaf and the issuers fetched by fingerprint. Arguments are checked before
/// anything is written, so a bad one leaves <c>output</c> untouched.
/// </summary>
public static class ExtraDataEncoder
{
    /// <summary>The most bytes a certificate list may have, length prefixes included (a 24-bit length).</summary>
    public const int MaxChainLength = 0xFFFFFF;

    /// <summary>For an <c>x509_entry</c>: <c>certificate_chain</c>, issuer first, leaf excluded.</summary>
    public static void WriteCertificateChain(IBufferWriter<byte> output, ReadOnlySpan<ReadOnlyMemory<byte>> chain)
    {
        ArgumentNullException.ThrowIfNull(output);
        var chainLength = ChainLength(chain, nameof(chain));
        var length = 3 + chainLength;
        var span = output.GetSpan(length);
        WriteChain(span, 0, chain, chainLength);
        output.Advance(length);
    }

    /// <summary>
    /// For a <c>precert_entry</c>: <c>PrecertChainEntry</c> = the submitted precertificate (with poison and
    /// signature), then <c>precertificate_chain</c>, issuer first.
    /// </summary>
    public static void WritePrecertChainEntry(
        IBufferWriter<byte> output, ReadOnlySpan<byte> preCertificate, ReadOnlySpan<ReadOnlyMemory<byte>> precertificateChain)
    {
        ArgumentNullException.ThrowIfNull(output);
        CheckCertificate(preCertificate.Length, nameof(preCertificate));
        var chainLength = ChainLength(precertificateChain, nameof(precertificateChain));
        var length = 3 + preCertificate.Length + 3 + chainLength;
        var span = output.GetSpan(length);
        var at = TlsEncoding.WriteOpaque24(span, 0, preCertificate);
        WriteChain(span, at, precertificateChain, chainLength);
        output.Advance(length);
    }

    private static void WriteChain(Span<byte> span, int at, ReadOnlySpan<ReadOnlyMemory<byte>> chain, int chainLength)
    {
        at = TlsEncoding.WriteUInt24(span, at, chainLength);
        foreach (var certificate in chain)
            at = TlsEncoding.WriteOpaque24(span, at, certificate.Span);
    }

    private static int ChainLength(ReadOnlySpan<ReadOnlyMemory<byte>> chain, string name)
    {
        long length = 0;
        foreach (var certificate in chain)
        {
            CheckCertificate(certificate.Length, name);
            length += 3 + certificate.Length;
        }
        return length <= MaxChainLength
            ? (int)length
            : throw new ArgumentException($"{name} takes {length} bytes; at most {MaxChainLength} fit", name);
    }

    private static void CheckCertificate(int length, string name)
    {
        if (length is 0 or > LeafInputEncoder.MaxCertificateLength)
            throw new ArgumentException($"a certificate in {name} has {length} bytes; RFC 6962 allows 1 to {LeafInputEncoder.MaxCertificateLength}", name);
    }
}
