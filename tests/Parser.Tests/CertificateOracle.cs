using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Certstream.Parser.Tests;

/// <summary>Facts about a certificate from parsers other than ours (.NET's X500 reader, openssl).</summary>
internal sealed class CertificateOracle
{
    private readonly ConcurrentDictionary<string, string?> _ekuByExtension = new();

    public sealed record NameFacts(string? Province, string? Email, bool HasCommonName);

    public static (NameFacts Subject, NameFacts Issuer) Names(byte[] der)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(der);
        return (Facts(certificate.SubjectName), Facts(certificate.IssuerName));
    }

    private static NameFacts Facts(X500DistinguishedName name)
    {
        var province = new List<string>();
        var email = new List<string>();
        var hasCn = false;
        foreach (var rdn in name.EnumerateRelativeDistinguishedNames())
        {
            if (rdn.HasMultipleElements)
                continue;
            var type = rdn.GetSingleElementType().Value;
            var value = rdn.GetSingleElementValue() ?? "";
            switch (type)
            {
                case "2.5.4.8": province.Add(value); break;
                case "1.2.840.113549.1.9.1": email.Add(value); break;
                case "2.5.4.3": hasCn = true; break;
            }
        }
        return new NameFacts(province.Count == 0 ? null : string.Join(",", province), email.Count == 0 ? null : string.Join(",", email), hasCn);
    }

    /// <summary>OpenSSL's rendering of the extendedKeyUsage extension (one openssl run per distinct extension value).</summary>
    public string? ExtendedKeyUsage(byte[] der)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(der);
        var extension = certificate.Extensions["2.5.29.37"];
        if (extension is null)
            return null;
        var key = Convert.ToHexString(extension.RawData);
        return _ekuByExtension.GetOrAdd(key, _ => OpenSsl.Extension(der, "extendedKeyUsage"));
    }

    public static string ColonHex(byte[] hash) => string.Join(":", hash.Select(b => b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture)));

    public static string Sha1Colon(byte[] der) => ColonHex(SHA1.HashData(der));

    public static string Sha256Colon(byte[] der) => ColonHex(SHA256.HashData(der));
}
