using System.Net.Sockets;
using System.Text;

namespace Certstream.Edge.Tests;

/// <summary>
/// What a client that asks for a WebSocket and gets the handshake wrong is told (RFC 6455 §4.2.2), and the CONNECT
/// without an upgrade that used to answer 500 with a stack trace in the log. Raw requests on a socket: HttpClient
/// would correct or refuse them.
/// </summary>
public sealed class HandshakeTests
{
    private const string GoodKey = "dGhlIHNhbXBsZSBub25jZQ==";

    [Theory]
    [InlineData("GET / HTTP/1.1", "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: not-a-key\r\n", 400, "Sec-WebSocket-Key")]
    [InlineData("GET / HTTP/1.1", "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n", 400, "Sec-WebSocket-Key")]
    [InlineData("GET / HTTP/1.1", "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\nSec-WebSocket-Key: " + GoodKey + "\r\n", 426, "Sec-WebSocket-Version must be 13")]
    [InlineData("GET /full-stream HTTP/1.0", "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + GoodKey + "\r\n", 400, "needs HTTP/1.1")]
    [InlineData("GET / HTTP/1.1", "Upgrade: websocket\r\nConnection: keep-alive\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + GoodKey + "\r\n", 400, "Connection: Upgrade")]
    [InlineData("POST / HTTP/1.1", "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: " + GoodKey + "\r\nContent-Length: 0\r\n", 405, "")]
    public async Task A_wrong_upgrade_request_is_told_what_is_wrong_instead_of_getting_the_page(string requestLine, string headers, int status, string reason)
    {
        await using var edge = await Edge.StartAsync();
        var response = await SendAsync(edge, $"{requestLine}\r\nHost: localhost\r\n{headers}\r\n");
        Assert.StartsWith($"HTTP/1.1 {status} ", response, StringComparison.Ordinal);
        Assert.DoesNotContain("<html", response, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(reason, response, StringComparison.Ordinal);
        if (status == 426) Assert.Contains("Sec-WebSocket-Version: 13", response, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_right_upgrade_request_still_gets_101_and_a_plain_get_the_page()
    {
        await using var edge = await Edge.StartAsync();
        var upgraded = await SendAsync(edge, $"GET / HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: {GoodKey}\r\n\r\n", untilBlankLine: true);
        Assert.StartsWith("HTTP/1.1 101 ", upgraded, StringComparison.Ordinal);
        var page = await SendAsync(edge, "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        Assert.StartsWith("HTTP/1.1 200 ", page, StringComparison.Ordinal);
        Assert.Contains("<html", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_CONNECT_without_an_upgrade_gets_405_not_500()
    {
        await using var edge = await Edge.StartAsync();
        foreach (var path in new[] { "/", "/full-stream", "/domains-only" })
        {
            var response = await SendAsync(edge, $"CONNECT {path} HTTP/1.1\r\nHost: localhost\r\n\r\n", untilBlankLine: true);
            Assert.StartsWith("HTTP/1.1 405 ", response, StringComparison.Ordinal);
            Assert.Contains("Allow: GET", response, StringComparison.Ordinal);
        }
    }

    private static async Task<string> SendAsync(EdgeHost edge, string request, bool untilBlankLine = false)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(edge.BaseUri.Host, edge.BaseUri.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var received = new StringBuilder();
        var buffer = new byte[4096];
        while (true)
        {
            var n = await stream.ReadAsync(buffer, timeout.Token);
            if (n == 0) break;
            received.Append(Encoding.ASCII.GetString(buffer, 0, n));
            var text = received.ToString();
            var headerEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headerEnd < 0) continue;
            if (untilBlankLine) break;
            // A response with a body says how long it is; read that much.
            var length = text.Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            if (length is null || text.Length - headerEnd - 4 >= int.Parse(length["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture)) break;
        }
        return received.ToString();
    }
}

/// <summary>Who may read what on the edge's port (README "Metrics"): <c>prometheus.whitelist</c> guards the metrics path; the health paths stay open.</summary>
public sealed class MetricsAccessTests
{
    [Theory]
    [InlineData("10.0.0.0/8", 403)]
    [InlineData("127.0.0.1", 200)]
    [InlineData("", 200)]
    public async Task The_metrics_whitelist_decides_who_reads_metrics_and_health_stays_open(string whitelist, int expected)
    {
        var prometheus = new Certstream.Hosting.Configuration.PrometheusOptions
        {
            Whitelist = whitelist.Length == 0 ? [] : Edge.Networks(whitelist),
        };
        await using var edge = await Edge.StartAsync(prometheus: prometheus);
        using var http = Edge.Http(edge);
        using (var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative)))
            Assert.Equal(expected, (int)metrics.StatusCode);
        using (var healthz = await http.GetAsync(new Uri("/healthz", UriKind.Relative)))
            Assert.Equal(200, (int)healthz.StatusCode);
    }

    [Fact]
    public async Task A_metrics_request_that_comes_through_a_trusted_proxy_is_refused_even_from_a_whitelisted_address()
    {
        var prometheus = new Certstream.Hosting.Configuration.PrometheusOptions { Whitelist = Edge.Networks("127.0.0.1") };
        await using var edge = await Edge.StartAsync(Edge.Settings() with { RealIp = true, TrustedProxies = Edge.Networks("127.0.0.1") }, prometheus: prometheus);
        using var http = Edge.Http(edge);
        using var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(403, (int)metrics.StatusCode);
    }
}
