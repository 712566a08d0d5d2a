using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Certstream.Edge.Tests;

/// <summary>A self-signed certificate for 127.0.0.1 written as PEM files, as an operator would supply them.</summary>
internal sealed class TestCertificate : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("edge-tls-");

    public TestCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(san.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        Thumbprint = certificate.Thumbprint;
        CertPath = Path.Combine(_directory.FullName, "cert.pem");
        KeyPath = Path.Combine(_directory.FullName, "key.pem");
        File.WriteAllText(CertPath, certificate.ExportCertificatePem());
        File.WriteAllText(KeyPath, key.ExportPkcs8PrivateKeyPem());
    }

    public string CertPath { get; }
    public string KeyPath { get; }
    public string Thumbprint { get; }

    /// <summary>Trusts exactly this certificate.</summary>
    public bool Validate(X509Certificate? certificate) =>
        certificate is not null && new X509Certificate2(certificate).Thumbprint == Thumbprint;

    public void Dispose() => _directory.Delete(recursive: true);
}
