using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Certstream.Edge.Tests;

public sealed class TransportTests
{
    [Fact]
    public async Task Tls_from_pem_files_serves_wss_and_https()
    {
        var directory = Directory.CreateTempSubdirectory("edge-tls-");
        try
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
            var certPath = Path.Combine(directory.FullName, "cert.pem");
            var keyPath = Path.Combine(directory.FullName, "key.pem");
            await File.WriteAllTextAsync(certPath, certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(keyPath, key.ExportPkcs8PrivateKeyPem());

            await using var edge = await Edge.StartAsync(Edge.Settings() with { CertPath = certPath, CertKeyPath = keyPath });
            Assert.Equal("https", edge.BaseUri.Scheme);
            var thumbprint = certificate.Thumbprint;
            using var client = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"),
                o => o.RemoteCertificateValidationCallback = (_, cert, _, _) => cert is X509Certificate2 c && c.Thumbprint == thumbprint);
            await Eventually.TrueAsync(() => edge.Hub.TotalClients == 1, "client registered");
            edge.Hub.Publish(StreamKind.Lite, "log_a", Messages.Certificate(5));

            Assert.Contains("\"cert_index\":5", await client.ReceiveTextAsync(), StringComparison.Ordinal);
            using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => cert?.Thumbprint == thumbprint };
            using var http = new HttpClient(handler) { BaseAddress = edge.BaseUri };
            Assert.Equal(Messages.Certificate(5), await http.GetByteArrayAsync("/example.json"));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Permessage_deflate_is_negotiated_only_when_enabled(bool enabled)
    {
        await using var edge = await Edge.StartAsync(Edge.Settings() with { CompressionEnabled = enabled });
        using var client = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"), o =>
        {
            o.DangerousDeflateOptions = new WebSocketDeflateOptions();
            o.CollectHttpResponseDetails = true;
        });
        await Eventually.TrueAsync(() => edge.Hub.TotalClients == 1, "client registered");
        var messages = Enumerable.Range(0, 20).Select(i => Messages.Certificate(i, padding: 3000)).ToArray();

        foreach (var message in messages) edge.Hub.Publish(StreamKind.Lite, "log_a", message);

        var extensions = client.HttpResponseHeaders?.GetValueOrDefault("Sec-WebSocket-Extensions")?.FirstOrDefault() ?? "";
        Assert.Equal(enabled, extensions.Contains("permessage-deflate", StringComparison.Ordinal));
        foreach (var message in messages)
            Assert.Equal(System.Text.Encoding.UTF8.GetString(message), await client.ReceiveTextAsync());
    }
}
