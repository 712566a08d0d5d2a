namespace Certstream.CtLogSim.Issuance;

/// <summary>What the issuer made for one log entry, before the log timestamps and sequences it.</summary>
/// <param name="Der">The final certificate (x509_entry) or the precertificate with its poison (precert_entry).</param>
/// <param name="PrecertTbs">For a precert: its TBSCertificate with the poison extension removed, as logged.</param>
internal sealed record IssuedCertificate(bool IsPrecert, byte[] Der, byte[]? PrecertTbs, CertificateAuthority Issuer, CertificateFacts Facts);

/// <summary>The facts a follower's output must reproduce, kept so tests can check fields end to end.</summary>
internal sealed record CertificateFacts(
    string SerialNumber,
    string Sha256,
    string? SubjectCommonName,
    string IssuerCommonName,
    IReadOnlyList<string> DnsNames,
    IReadOnlyList<string> IpAddresses,
    IReadOnlyList<string> EmailAddresses,
    IReadOnlyList<string> Uris,
    IReadOnlyList<string> PolicyOids,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    string KeyAlgorithm);
