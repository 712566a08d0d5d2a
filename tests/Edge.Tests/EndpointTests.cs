using System.Net;
using System.Text;
using System.Text.Json;

namespace Certstream.Edge.Tests;

public sealed class EndpointTests
{
    [Theory]
    [InlineData("/example.json")]
    [InlineData("/full-stream/example.json")]
    [InlineData("/domains-only/example.json")]
    public async Task Example_json_is_a_503_json_error_before_any_certificate(string path)
    {
        await using var edge = await Edge.StartAsync();
        using var http = Edge.Http(edge);

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(json.RootElement.TryGetProperty("error", out _));
    }

    [Theory]
    [InlineData("/example.json", "lite")]
    [InlineData("/full-stream/example.json", "full")]
    [InlineData("/full-stream/example.json/", "full")]
    [InlineData("/domains-only/example.json", "domains")]
    public async Task Example_json_is_the_latest_message_of_its_stream_byte_for_byte(string path, string stream)
    {
        await using var edge = await Edge.StartAsync();
        using var http = Edge.Http(edge);
        var expected = new Dictionary<string, byte[]>();
        foreach (var kind in new[] { StreamKind.Full, StreamKind.Lite, StreamKind.Domains })
        {
            edge.Hub.Publish(kind, "log_a", Messages.Certificate(1, kind.Name()));
            expected[kind.Name()] = Messages.Certificate(2, kind.Name());
            edge.Hub.Publish(kind, "log_a", expected[kind.Name()]);
        }

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(expected[stream], await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Latest_json_holds_the_25_newest_lite_messages_newest_first_spliced_verbatim()
    {
        await using var edge = await Edge.StartAsync();
        using var http = Edge.Http(edge);
        Assert.Equal("""{"messages":[]}""", await http.GetStringAsync("/latest.json"));

        for (var i = 0; i < 30; i++)
        {
            edge.Hub.Publish(StreamKind.Lite, "log_a", Messages.Certificate(i));
            edge.Hub.Publish(StreamKind.Full, "log_a", Messages.Certificate(1000 + i, "full"));
        }
        var body = await http.GetByteArrayAsync("/latest.json");

        var expected = "{\"messages\":[" + string.Join(",", Enumerable.Range(5, 25).Reverse()
            .Select(i => Encoding.UTF8.GetString(Messages.Certificate(i)))) + "]}";
        Assert.Equal(expected, Encoding.UTF8.GetString(body));
        using var json = JsonDocument.Parse(body);
        Assert.Equal(25, json.RootElement.GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task Stats_counts_certificates_per_log_and_clients_per_stream_without_client_details()
    {
        await using var edge = await Edge.StartAsync();
        using var http = Edge.Http(edge);
        using var lite = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"));
        using var full1 = await EdgeClient.ConnectAsync(edge.WebSocketUri("/full-stream"));
        using var full2 = await EdgeClient.ConnectAsync(edge.WebSocketUri("/full-stream/"));
        await Eventually.TrueAsync(() => edge.Hub.TotalClients == 3, "three clients registered");
        foreach (var (log, count) in new[] { ("log_a", 3), ("log_b", 2) })
        {
            for (var i = 0; i < count; i++)
            {
                edge.Hub.Publish(StreamKind.Full, log, Messages.Certificate(i, "full"));
                edge.Hub.Publish(StreamKind.Lite, log, Messages.Certificate(i));
                edge.Hub.Publish(StreamKind.Domains, log, Messages.Domains(i));
            }
        }

        var text = await http.GetStringAsync("/stats");

        using var json = JsonDocument.Parse(text);
        var root = json.RootElement;
        Assert.Equal(5, root.GetProperty("processed_certificates").GetInt64());
        Assert.Equal(3, root.GetProperty("logs").GetProperty("log_a").GetInt64());
        Assert.Equal(2, root.GetProperty("logs").GetProperty("log_b").GetInt64());
        var clients = root.GetProperty("clients");
        Assert.Equal(3, clients.GetProperty("total").GetInt32());
        Assert.Equal(2, clients.GetProperty("full").GetInt32());
        Assert.Equal(1, clients.GetProperty("lite").GetInt32());
        Assert.Equal(0, clients.GetProperty("domains").GetInt32());
        Assert.Equal(0, root.GetProperty("skipped_messages").GetInt64());
        Assert.Equal(5, root.GetProperty("messages_received").GetProperty("domains").GetInt64());
        Assert.DoesNotContain("127.0.0.1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("User-Agent", text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/full-stream")]
    [InlineData("/full-stream/")]
    [InlineData("/domains-only")]
    [InlineData("/domains-only/")]
    public async Task A_plain_get_on_a_stream_path_returns_an_html_page_naming_the_endpoints(string path)
    {
        await using var edge = await Edge.StartAsync();
        using var http = Edge.Http(edge);

        using var response = await http.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        foreach (var named in new[] { "/full-stream", "/domains-only", "/example.json", "/latest.json", "/stats" })
            Assert.Contains(named, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_paths_are_404()
    {
        await using var edge = await Edge.StartAsync();
        using var http = Edge.Http(edge);

        using var response = await http.GetAsync("/nope");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Stream_paths_are_configurable()
    {
        await using var edge = await Edge.StartAsync(Edge.Settings() with
        {
            LiteUrl = "/lite",
            FullUrl = "/firehose",
            DomainsOnlyUrl = "/names/",
        });
        using var http = Edge.Http(edge);
        edge.Hub.Publish(StreamKind.Lite, "log_a", Messages.Certificate(1));
        edge.Hub.Publish(StreamKind.Full, "log_a", Messages.Certificate(2, "full"));
        edge.Hub.Publish(StreamKind.Domains, "log_a", Messages.Domains(3));

        Assert.Equal(Messages.Certificate(1), await http.GetByteArrayAsync("/lite/example.json"));
        Assert.Equal(Messages.Certificate(1), await http.GetByteArrayAsync("/example.json"));
        Assert.Equal(Messages.Certificate(2, "full"), await http.GetByteArrayAsync("/firehose/example.json"));
        Assert.Equal(Messages.Domains(3), await http.GetByteArrayAsync("/names/example.json"));
        using var names = await EdgeClient.ConnectAsync(edge.WebSocketUri("/names"));
        await Eventually.TrueAsync(() => edge.Hub.ClientCount(StreamKind.Domains) == 1, "client on the configured domains path");
        using var old = await http.GetAsync("/full-stream");
        Assert.Equal(HttpStatusCode.NotFound, old.StatusCode);
    }
}
