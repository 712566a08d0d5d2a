namespace Certstream.Contracts.Ct;

/// <summary>RFC 6962 §4.6 <c>extra_data</c> of get-entries.</summary>
public static class ExtraData
{
    /// <summary>x509_entry: <c>ASN.1Cert certificate_chain&lt;0..2^24-1&gt;</c>.</summary>
    public static CtRejection TryReadCertificateChain(ReadOnlySpan<byte> extraData, out CertificateList chain)
    {
        chain = default;
        var reader = new TlsReader(extraData);
        if (!reader.TryReadOpaque24(out var body))
            return CtRejection.Truncated;
        chain = new CertificateList(body);
        return chain.Rejection;
    }

    /// <summary>precert_entry: <c>PrecertChainEntry { ASN.1Cert pre_certificate; ASN.1Cert precertificate_chain&lt;0..2^24-1&gt;; }</c>.</summary>
    public static CtRejection TryReadPrecertChainEntry(ReadOnlySpan<byte> extraData, out ReadOnlySpan<byte> preCertificate, out CertificateList chain)
    {
        chain = default;
        var reader = new TlsReader(extraData);
        if (!reader.TryReadOpaque24(out preCertificate))
            return CtRejection.Truncated;
        if (preCertificate.IsEmpty)
            return CtRejection.EmptyCertificate;
        if (!reader.TryReadOpaque24(out var body))
            return CtRejection.Truncated;
        chain = new CertificateList(body);
        return chain.Rejection;
    }
}
