using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Certstream.TestSupport;
using static Certstream.Nats.Tests.TestHelpers;

namespace Certstream.Nats.Tests;

public sealed class TlsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("nats-tls-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task A_tls_required_server_is_reached_with_the_test_ca_and_rejects_untrusted_clients()
    {
        var (caFile, certFile, keyFile, _, _) = WriteCertificates();
        var config = Path.Combine(_dir, "tls.conf");
        await File.WriteAllTextAsync(config, $"tls {{\n  cert_file: \"{certFile}\"\n  key_file: \"{keyFile}\"\n  timeout: 2\n}}\n");
        await using var server = await NatsServer.StartAsync("-c", config);

        // Plain nats:// URL: the client upgrades because INFO says tls_required (§1.4 step 2).
        await using var conn = await ConnectAsync(server.Url, o => o with { Tls = new NatsTlsOpts { CaFile = caFile } });
        Assert.True(conn.ServerInfo!.TlsRequired);
        await using var sub = await conn.SubscribeAsync("tls.hello");
        await conn.PublishAsync("tls.hello", Bytes("secret"));
        Assert.Equal("secret", Text(await sub.NextAsync()));

        // Without the CA the server certificate is not trusted.
        await using var untrusted = new NatsConnection(Opts(server.Url));
        await Assert.ThrowsAsync<NatsException>(async () => await untrusted.ConnectAsync());
    }

    [Fact]
    public async Task A_server_that_verifies_clients_accepts_our_client_certificate()
    {
        var (caFile, certFile, keyFile, clientCert, clientKey) = WriteCertificates();
        var config = Path.Combine(_dir, "mtls.conf");
        await File.WriteAllTextAsync(config,
            $"tls {{\n  cert_file: \"{certFile}\"\n  key_file: \"{keyFile}\"\n  ca_file: \"{caFile}\"\n  verify: true\n  timeout: 2\n}}\n");
        await using var server = await NatsServer.StartAsync("-c", config);

        await using var conn = await ConnectAsync($"tls://127.0.0.1:{server.Port}",
            o => o with { Tls = new NatsTlsOpts { CaFile = caFile, CertFile = clientCert, KeyFile = clientKey } });
        await conn.FlushAsync();

        await using var anonymous = new NatsConnection(Opts(server.Url) with { Tls = new NatsTlsOpts { CaFile = caFile } });
        await Assert.ThrowsAnyAsync<NatsException>(async () => { await anonymous.ConnectAsync(); await anonymous.FlushAsync(); });
    }

    // A throwaway CA, a server certificate for 127.0.0.1, and a client certificate, as PEM files.
    private (string Ca, string Cert, string Key, string ClientCert, string ClientKey) WriteCertificates()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caReq = new CertificateRequest("CN=certstream test CA", caKey, HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        using var ca = caReq.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));

        (string, string) Issue(string cn, bool server)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var req = new CertificateRequest($"CN={cn}", key, HashAlgorithmName.SHA256);
            req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
            req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
            req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                [server ? new Oid("1.3.6.1.5.5.7.3.1") : new Oid("1.3.6.1.5.5.7.3.2")], false));
            if (server)
            {
                var san = new SubjectAlternativeNameBuilder();
                san.AddIpAddress(IPAddress.Loopback);
                san.AddDnsName("localhost");
                req.CertificateExtensions.Add(san.Build());
            }
            var serial = RandomNumberGenerator.GetBytes(8);
            using var cert = req.Create(ca, now.AddMinutes(-5), now.AddHours(12), serial);
            var certFile = Path.Combine(_dir, cn + ".pem");
            var keyFile = Path.Combine(_dir, cn + "-key.pem");
            File.WriteAllText(certFile, cert.ExportCertificatePem());
            File.WriteAllText(keyFile, key.ExportPkcs8PrivateKeyPem());
            return (certFile, keyFile);
        }

        var caFile = Path.Combine(_dir, "ca.pem");
        File.WriteAllText(caFile, ca.ExportCertificatePem());
        var (serverCert, serverKey) = Issue("server", server: true);
        var (clientCert, clientKey) = Issue("client", server: false);
        return (caFile, serverCert, serverKey, clientCert, clientKey);
    }
}
