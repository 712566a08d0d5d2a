using System.Net;
using System.Net.WebSockets;

namespace Certstream.Edge.Tests;

public sealed class TransportTests
{
    [Fact]
    public async Task Tls_from_pem_files_serves_wss_and_https()
    {
        using var certificate = new TestCertificate();
        await using var edge = await Edge.StartAsync(Edge.Settings() with { CertPath = certificate.CertPath, CertKeyPath = certificate.KeyPath });
        Assert.Equal("https", edge.BaseUri.Scheme);
        using var client = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"),
            o => o.RemoteCertificateValidationCallback = (_, cert, _, _) => certificate.Validate(cert));
        await Eventually.TrueAsync(() => edge.Hub.TotalClients == 1, "client registered");

        edge.Hub.Publish(StreamKind.Lite, "log_a", Messages.Certificate(5));

        Assert.Contains("\"cert_index\":5", await client.ReceiveTextAsync(), StringComparison.Ordinal);
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => certificate.Validate(cert) };
        using var http = new HttpClient(handler) { BaseAddress = edge.BaseUri };
        Assert.Equal(Messages.Certificate(5), await http.GetByteArrayAsync("/example.json"));
    }

    [Fact]
    public async Task Over_http2_websockets_stream_and_client_keepalives_count_as_activity()
    {
        using var certificate = new TestCertificate();
        await using var edge = await Edge.StartAsync(Edge.Settings() with
        {
            CertPath = certificate.CertPath,
            CertKeyPath = certificate.KeyPath,
            // Generous against the client's 200 ms keepalives, so a loaded machine's scheduling gaps do not look like silence.
            ClientTimeout = TimeSpan.FromSeconds(2),
        });
        using var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, _) => certificate.Validate(cert);
        using var invoker = new HttpMessageInvoker(handler);
        using var client = new ClientWebSocket();
        client.Options.HttpVersion = HttpVersion.Version20;
        client.Options.HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact;
        client.Options.KeepAliveInterval = TimeSpan.FromMilliseconds(200);
        await client.ConnectAsync(edge.WebSocketUri("/full-stream"), invoker, CancellationToken.None);
        await Eventually.TrueAsync(() => edge.Hub.TotalClients == 1, "client registered");

        await Task.Delay(TimeSpan.FromSeconds(5)); // 2.5 times client_timeout, kept alive by the client's keepalives

        Assert.False(Assert.Single(edge.Hub.Sessions(StreamKind.Full)).IsClosing);
        edge.Hub.Publish(StreamKind.Full, "log_a", Messages.Certificate(9, "full"));
        Assert.Contains("\"cert_index\":9", await client.ReceiveTextAsync(), StringComparison.Ordinal);
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
