namespace Certstream.Parser.Certificates;

/// <summary>
/// The fields of one certificate that the messages show, as ranges into its DER (which the caller keeps).
/// Reused across entries by one worker: <see cref="Reset"/> clears it without freeing its lists.
/// </summary>
internal sealed class CertificateModel
{
    public DistinguishedName Subject { get; } = new();
    public DistinguishedName Issuer { get; } = new();

    /// <summary>Content octets of the serialNumber INTEGER (two's complement).</summary>
    public ByteRange Serial { get; set; }

    /// <summary>The reference's name for the signature algorithm ("sha256, rsa", "unknown", …).</summary>
    public string SignatureAlgorithm { get; set; } = SignatureAlgorithms.Unknown;

    public long NotBefore { get; set; }
    public long NotAfter { get; set; }

    public List<TextRef> DnsNames { get; } = [];
    public List<TextRef> EmailAddresses { get; } = [];
    public List<TextRef> Uris { get; } = [];
    public List<ByteRange> IpAddresses { get; } = [];
    public bool HasSubjectAltName { get; set; }

    public bool HasBasicConstraints { get; set; }
    public bool IsCA { get; set; }

    public bool HasKeyUsage { get; set; }
    public int KeyUsage { get; set; }

    public bool HasExtendedKeyUsage { get; set; }
    public List<ByteRange> ExtendedKeyUsages { get; } = [];

    public bool HasAuthorityKeyId { get; set; }
    public ByteRange AuthorityKeyId { get; set; }

    public bool HasSubjectKeyId { get; set; }
    public ByteRange SubjectKeyId { get; set; }

    public bool HasAuthorityInfoAccess { get; set; }
    public List<TextRef> CaIssuers { get; } = [];
    public List<TextRef> Ocsp { get; } = [];

    public bool HasCertificatePolicies { get; set; }
    public List<ByteRange> Policies { get; } = [];

    public bool HasPoison { get; set; }
    public bool HasSctList { get; set; }

    public void Reset()
    {
        Subject.Reset();
        Issuer.Reset();
        Serial = default;
        SignatureAlgorithm = SignatureAlgorithms.Unknown;
        NotBefore = NotAfter = 0;
        DnsNames.Clear();
        EmailAddresses.Clear();
        Uris.Clear();
        IpAddresses.Clear();
        HasSubjectAltName = HasBasicConstraints = IsCA = HasKeyUsage = HasExtendedKeyUsage = false;
        KeyUsage = 0;
        ExtendedKeyUsages.Clear();
        HasAuthorityKeyId = HasSubjectKeyId = HasAuthorityInfoAccess = HasCertificatePolicies = HasPoison = HasSctList = false;
        AuthorityKeyId = SubjectKeyId = default;
        CaIssuers.Clear();
        Ocsp.Clear();
        Policies.Clear();
    }
}
