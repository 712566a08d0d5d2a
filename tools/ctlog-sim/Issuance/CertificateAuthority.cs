using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Certstream.CtLogSim.Issuance;

/// <summary>
/// One CA of a simulated operator: a root (RSA-2048 or ECDSA P-384) and an ECDSA P-256 intermediate
/// that signs the leaves (ECDSA so that issuing tens of thousands of certificates a second is cheap).
/// </summary>
internal sealed class CertificateAuthority
{
    private CertificateAuthority(string name, byte[] rootDer, byte[] intermediateDer, ECParameters intermediateKey)
    {
        Name = name;
        RootDer = rootDer;
        IntermediateDer = intermediateDer;
        IntermediateKey = intermediateKey;
        using var intermediate = X509CertificateLoader.LoadCertificate(intermediateDer);
        IntermediateSubject = intermediate.SubjectName;
        IntermediateCommonName = intermediate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        IntermediateSpkiSha256 = SHA256.HashData(intermediate.PublicKey.ExportSubjectPublicKeyInfo());
        IntermediateSha256 = SHA256.HashData(intermediateDer);
        RootSha256 = SHA256.HashData(rootDer);
        ChainList = Tls.CertificateChain([intermediateDer, rootDer]);
        AuthorityKeyIdentifier = X509AuthorityKeyIdentifierExtension.CreateFromCertificate(intermediate, includeKeyIdentifier: true, includeIssuerAndSerial: false).RawData;
    }

    public string Name { get; }
    public byte[] RootDer { get; }
    public byte[] IntermediateDer { get; }
    public ECParameters IntermediateKey { get; }
    public X500DistinguishedName IntermediateSubject { get; }
    public string IntermediateCommonName { get; }

    /// <summary>The precert issuer_key_hash: SHA-256 of the issuer's DER SubjectPublicKeyInfo (RFC 6962 §3.2).</summary>
    public byte[] IntermediateSpkiSha256 { get; }
    public byte[] IntermediateSha256 { get; }
    public byte[] RootSha256 { get; }

    /// <summary>extra_data's certificate_chain: intermediate then root, ready to append.</summary>
    public byte[] ChainList { get; }

    public byte[] AuthorityKeyIdentifier { get; }

    public string CrlUrl => $"http://crl.{Slug}.sim.invalid/{Slug}.crl";
    public string OcspUrl => $"http://ocsp.{Slug}.sim.invalid";
    public string CaIssuersUrl => $"http://ca.{Slug}.sim.invalid/intermediate.der";
    private string Slug => Name.ToLowerInvariant().Replace(' ', '-');

    public static CertificateAuthority Create(string operatorName, int ordinal, SeededRandom rng, DateTimeOffset epoch)
    {
        var caName = $"{operatorName} CA";
        var rsaRoot = ordinal % 2 == 0;
        var rootName = BuildName(caName, rsaRoot ? $"{operatorName} Root R{ordinal + 1}" : $"{operatorName} Root E{ordinal + 1}");
        var intermediateName = BuildName(caName, $"{operatorName} Issuing CA {(rsaRoot ? "E" : "F")}{ordinal + 1}");
        var rootFrom = epoch.AddYears(-6);
        var rootTo = epoch.AddYears(19);

        byte[] rootDer;
        X509SignatureGenerator rootSigner;
        PublicKey rootPublicKey;
        RSA? rsa = null;
        ECDsa? ecRoot = null;
        try
        {
            if (rsaRoot)
            {
                rsa = RSA.Create();
                rsa.ImportParameters(DeterministicKeys.RsaPrivateKey(rng, 2048));
                rootSigner = X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1);
                rootPublicKey = new PublicKey(rsa);
            }
            else
            {
                ecRoot = ECDsa.Create(DeterministicKeys.EcPrivateKey(rng, ECCurve.NamedCurves.nistP384, 48));
                rootSigner = X509SignatureGenerator.CreateForECDsa(ecRoot);
                rootPublicKey = new PublicKey(ecRoot);
            }
            var hash = rsaRoot ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA384;
            var rootRequest = new CertificateRequest(rootName, rootPublicKey, hash);
            rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootPublicKey, false));
            using (var root = rootRequest.Create(rootName, rootSigner, rootFrom, rootTo, Serial(rng)))
                rootDer = root.RawData;

            using var rootCert = X509CertificateLoader.LoadCertificate(rootDer);
            var intermediateKey = DeterministicKeys.EcPrivateKey(rng, ECCurve.NamedCurves.nistP256, 32);
            using var ecIntermediate = ECDsa.Create(intermediateKey);
            var intermediatePublic = new PublicKey(ecIntermediate);
            var request = new CertificateRequest(intermediateName, intermediatePublic, hash);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(intermediatePublic, false));
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(rootCert, true, false));
            request.CertificateExtensions.Add(CertificatePolicies.Create(["2.23.140.1.2.1", "2.23.140.1.2.2"]));
            using var intermediate = request.Create(rootName, rootSigner, epoch.AddYears(-2), epoch.AddYears(3), Serial(rng));
            return new CertificateAuthority(caName, rootDer, intermediate.RawData, intermediateKey);
        }
        finally
        {
            rsa?.Dispose();
            ecRoot?.Dispose();
        }
    }

    private static X500DistinguishedName BuildName(string organization, string commonName)
    {
        // The builder encodes the last-added RDN first; added in this order, the DER reads C, O, CN like real CA names.
        var builder = new X500DistinguishedNameBuilder();
        builder.AddCommonName(commonName);
        builder.AddOrganizationName(organization);
        builder.AddCountryOrRegion("US");
        return builder.Build();
    }

    private static byte[] Serial(SeededRandom rng)
    {
        var serial = new byte[16];
        rng.Fill(serial);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01); // positive, no leading zero byte
        return serial;
    }
}

/// <summary>certificatePolicies (RFC 5280 §4.2.1.4) without qualifiers; .NET has no builder for it.</summary>
internal static class CertificatePolicies
{
    public const string Oid = "2.5.29.32";

    public static X509Extension Create(IReadOnlyList<string> policyOids)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            foreach (var oid in policyOids)
            {
                using (writer.PushSequence())
                    writer.WriteObjectIdentifier(oid);
            }
        }
        return new X509Extension(Oid, writer.Encode(), false);
    }
}
