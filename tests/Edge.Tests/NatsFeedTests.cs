using System.Net;
using System.Text;
using Certstream.Contracts;
using Certstream.Hosting;
using NATS.Client.Core;
using Microsoft.AspNetCore.Builder;
using Certstream.TestSupport;

namespace Certstream.Edge.Tests;

/// <summary>The edge service as composed for production (Program.cs: a config file, AddEdge), fed through a real nats-server.</summary>
public sealed class NatsFeedTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _dir = Directory.CreateTempSubdirectory("edge-feed-").FullName;

    [Fact]
    public async Task Parser_messages_on_NATS_reach_the_clients_of_their_stream_as_the_same_bytes()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var nats = await NatsServer.StartAsync();
        var (app, baseUri) = await NatsEdge.StartAsync(_dir, nats.Url, cts.Token);
        await using (app)
        {
            await NatsEdge.WaitReadyAsync(baseUri, cts.Token);
            using var lite = await EdgeClient.ConnectAsync(NatsEdge.Ws(baseUri, "/"));
            using var full = await EdgeClient.ConnectAsync(NatsEdge.Ws(baseUri, "/full-stream"));
            using var domains = await EdgeClient.ConnectAsync(NatsEdge.Ws(baseUri, "/domains-only"));
            await using var publisher = await NatsClients.ConnectAsync(nats.Url);

            var log = "ct_example_com_logs_test";
            await Eventually.TrueAsync(() => NatsEdge.ClientCount(baseUri) == 3, "three clients registered");
            await publisher.PublishAsync($"certstream.full.{log}", Encoding.UTF8.GetBytes("{\"m\":\"full\"}\n"), cancellationToken: cts.Token);
            await publisher.PublishAsync($"certstream.lite.{log}", Encoding.UTF8.GetBytes("{\"m\":\"lite\"}\n"), cancellationToken: cts.Token);
            await publisher.PublishAsync($"certstream.domains.{log}", Encoding.UTF8.GetBytes("{\"m\":\"domains\"}"), cancellationToken: cts.Token);
            await publisher.PingAsync(cts.Token);

            Assert.Equal("{\"m\":\"lite\"}\n", await lite.ReceiveTextAsync());
            Assert.Equal("{\"m\":\"full\"}\n", await full.ReceiveTextAsync());
            Assert.Equal("{\"m\":\"domains\"}", await domains.ReceiveTextAsync());

            using var http = new HttpClient { BaseAddress = baseUri };
            var stats = await http.GetStringAsync(new Uri("/stats", UriKind.Relative), cts.Token);
            Assert.Contains($"\"{log}\":1", stats, StringComparison.Ordinal);
            await app.StopAsync(cts.Token);
        }
    }

    [Fact]
    public async Task The_history_fed_streams_go_on_without_a_gap_after_a_nats_restart_and_after_the_history_is_made_again()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await using var nats = await NatsServer.StartAsync();
        var (app, baseUri) = await NatsEdge.StartAsync(_dir, nats.Url, cts.Token);
        await using (app)
        {
            await NatsEdge.WaitReadyAsync(baseUri, cts.Token);
            using var lite = await EdgeClient.ConnectAsync(NatsEdge.Ws(baseUri, "/"));
            await Eventually.TrueAsync(() => NatsEdge.ClientCount(baseUri) == 1, "the client registered");
            var next = 0;
            async Task PublishAsync(int count)
            {
                // As the parser publishes a stream the history keeps: acked by JetStream, retried until it is.
                await using var publisher = await NatsClients.ConnectAsync(nats.Url);
                var js = new NATS.Client.JetStream.NatsJSContext(publisher);
                for (var end = next + count; next < end; next++)
                {
                    var body = Encoding.UTF8.GetBytes($"{{\"n\":{next}}}\n");
                    await Eventually.TrueAsync(() => js.TryPublishAsync("certstream.lite.ct_example_com_logs_test", body).AsTask().GetAwaiter().GetResult() is { Success: true, Value.Error: null },
                        $"message {next} stored");
                }
            }
            async Task ReceiveAsync(int from, int to)
            {
                for (var i = from; i < to; i++) Assert.Equal($"{{\"n\":{i}}}\n", await lite.ReceiveTextAsync());
            }

            await PublishAsync(5);
            await ReceiveAsync(0, 5);

            // A restart on the same port and store: the edge's consumer lived in the old process's memory.
            nats.Kill();
            await nats.StartAgainAsync();
            await PublishAsync(5);
            await ReceiveAsync(5, 10);

            // The history deleted and made again (sequences start over): read from its start, not from sequence 11.
            await using (var admin = await NatsClients.ConnectAsync(nats.Url))
            {
                var js = new NATS.Client.JetStream.NatsJSContext(admin);
                await js.DeleteStreamAsync(JetStreamNames.HistoryStream, cts.Token);
                await js.CreateStreamAsync(JetStreamConfigs.HistoryStream(["lite", "domains"], TimeSpan.FromHours(1), 1L << 30), cts.Token);
            }
            await PublishAsync(5);
            await ReceiveAsync(10, 15);
            await app.StopAsync(cts.Token);
        }
    }

    [Fact]
    public async Task On_a_cluster_the_history_fed_stream_goes_on_when_the_node_holding_the_edges_consumer_dies()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await using var cluster = await NatsCluster.StartAsync();
        await using (var admin = await NatsClients.ConnectAsync(cluster.Url))
            await new NATS.Client.JetStream.NatsJSContext(admin).CreateStreamAsync(JetStreamConfigs.HistoryStream(["lite", "domains"], TimeSpan.FromHours(1), 1L << 30, replicas: 3), cts.Token);
        var (app, baseUri) = await NatsEdge.StartAsync(_dir, cluster.Url, cts.Token);
        await using (app)
        {
            await NatsEdge.WaitReadyAsync(baseUri, cts.Token);
            using var lite = await EdgeClient.ConnectAsync(NatsEdge.Ws(baseUri, "/"));
            await Eventually.TrueAsync(() => NatsEdge.ClientCount(baseUri) == 1, "the client registered");
            await using var publisher = await NatsClients.ConnectAsync(cluster.Url);
            var js = new NATS.Client.JetStream.NatsJSContext(publisher);
            var next = 0;
            async Task PublishAndReceiveAsync(int count)
            {
                for (var end = next + count; next < end; next++)
                {
                    var body = Encoding.UTF8.GetBytes($"{{\"n\":{next}}}\n");
                    await Eventually.TrueAsync(() => js.TryPublishAsync("certstream.lite.ct_example_com_logs_test", body).AsTask().GetAwaiter().GetResult() is { Success: true, Value.Error: null },
                        $"message {next} stored", TimeSpan.FromSeconds(30));
                }
                // Going on after a lost consumer takes a few quiet spells of the watchdog (HistoryReader.WatchInterval).
                for (var i = next - count; i < next; i++) Assert.Equal($"{{\"n\":{i}}}\n", await lite.ReceiveTextAsync(TimeSpan.FromSeconds(60)));
            }

            await PublishAndReceiveAsync(5);
            // The edge's consumer lives in one node's memory: that node dies, and with it the consumer.
            var host = await cluster.ConsumerHostAsync(JetStreamNames.HistoryStream, "certstream.lite.*", cts.Token)
                ?? throw new InvalidOperationException("no node holds the edge's lite consumer");
            cluster.Node(host).Kill();
            await PublishAndReceiveAsync(5);
            await app.StopAsync(cts.Token);
        }
    }

    [Fact]
    public async Task A_filtered_client_gets_exactly_the_messages_whose_filter_headers_match()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var nats = await NatsServer.StartAsync();
        var (app, baseUri) = await NatsEdge.StartAsync(_dir, nats.Url, cts.Token);
        await using (app)
        {
            await NatsEdge.WaitReadyAsync(baseUri, cts.Token);
            using var filtered = await EdgeClient.ConnectAsync(NatsEdge.Ws(baseUri, "/?domain=example.com&type=precert&log=argon"));
            using var everything = await EdgeClient.ConnectAsync(NatsEdge.Ws(baseUri, "/"));
            await using var publisher = await NatsClients.ConnectAsync(nats.Url);
            await Eventually.TrueAsync(() => NatsEdge.ClientCount(baseUri) == 2, "two clients registered");
            using (var http = new HttpClient { BaseAddress = baseUri })
            using (var stats = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri("/stats", UriKind.Relative), cts.Token)))
                Assert.Equal(1, stats.RootElement.GetProperty("clients").GetProperty("filtered").GetInt32());
            using (var http = new HttpClient { BaseAddress = baseUri })
                Assert.Contains("certstream_edge_filtered_clients{stream=\"lite\"} 1", await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cts.Token), StringComparison.Ordinal);

            (string Name, string Type, string Source, string Domains, bool Expected)[] messages =
            [
                ("wrong-type", FilterHeaders.X509, "https://ct.googleapis.com/logs/us1/argon2027h1", "www.example.com", false),
                ("under", FilterHeaders.Precert, "https://ct.googleapis.com/logs/us1/argon2027h1", "other.test,a.b.EXAMPLE.com", true),
                ("wrong-log", FilterHeaders.Precert, "https://oak.ct.letsencrypt.org/2027h1", "example.com", false),
                ("look-alike", FilterHeaders.Precert, "https://ct.googleapis.com/logs/us1/argon2027h1", "notexample.com", false),
                ("no-headers", "", "", "", false),
                ("exact", FilterHeaders.Precert, "https://ct.googleapis.com/logs/us1/argon2027h1", "example.com", true),
            ];
            foreach (var m in messages)
            {
                var headers = m.Type.Length == 0 ? null : new NatsHeaders
                {
                    [FilterHeaders.Type] = m.Type,
                    [FilterHeaders.Source] = m.Source,
                    [FilterHeaders.Domains] = m.Domains,
                };
                await publisher.PublishAsync("certstream.lite.ct_example_com_logs_test", Encoding.UTF8.GetBytes($"{{\"m\":\"{m.Name}\"}}"), headers, cancellationToken: cts.Token);
            }
            await publisher.PingAsync(cts.Token);

            // The unfiltered client gets all six in order; by the time it has the last, the filtered one was offered all.
            foreach (var m in messages) Assert.Equal($"{{\"m\":\"{m.Name}\"}}", await everything.ReceiveTextAsync());
            foreach (var m in messages.Where(m => m.Expected)) Assert.Equal($"{{\"m\":\"{m.Name}\"}}", await filtered.ReceiveTextAsync());
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => filtered.ReceiveTextAsync(TimeSpan.FromMilliseconds(300)));
            await app.StopAsync(cts.Token);
        }
    }

    [Fact]
    public async Task An_event_stream_client_gets_the_same_messages_as_events_filtered_alike()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var nats = await NatsServer.StartAsync();
        var (app, baseUri) = await NatsEdge.StartAsync(_dir, nats.Url, cts.Token);
        await using (app)
        {
            await NatsEdge.WaitReadyAsync(baseUri, cts.Token);
            using var http = new HttpClient { BaseAddress = baseUri, Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            using var response = await http.GetAsync(new Uri("/sse?stream=full&type=precert", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cts.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
            using var events = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
            using var everything = await EdgeClient.ConnectAsync(NatsEdge.Ws(baseUri, "/full-stream"));
            await Eventually.TrueAsync(() => NatsEdge.ClientCount(baseUri) == 2, "two clients registered");
            using (var stats = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync(new Uri("/stats", UriKind.Relative), cts.Token)))
                Assert.Equal(1, stats.RootElement.GetProperty("clients").GetProperty("sse").GetInt32());
            Assert.Contains("certstream_edge_sse_clients{stream=\"full\"} 1", await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cts.Token), StringComparison.Ordinal);

            await using var publisher = await NatsClients.ConnectAsync(nats.Url);
            foreach (var (name, type) in new[] { ("a", FilterHeaders.X509), ("b", FilterHeaders.Precert), ("c", FilterHeaders.Precert) })
            {
                var headers = new NatsHeaders { [FilterHeaders.Type] = type, [FilterHeaders.Source] = "https://ct.example/log", [FilterHeaders.Domains] = "x.test" };
                await publisher.PublishAsync("certstream.full.ct_example_log", Encoding.UTF8.GetBytes($"{{\"m\":\"{name}\"}}\n"), headers, cancellationToken: cts.Token);
            }
            await publisher.PingAsync(cts.Token);

            // The stream opens with a comment; then one event per message, its data the message without its newline.
            var received = new List<string>();
            while (received.Count < 2)
            {
                var line = await events.ReadLineAsync(cts.Token) ?? throw new InvalidOperationException("the event stream ended");
                if (line.StartsWith("data: ", StringComparison.Ordinal)) received.Add(line["data: ".Length..]);
                else Assert.True(line.Length == 0 || line.StartsWith(':'), $"not an event line: {line}");
            }
            Assert.Equal(["{\"m\":\"b\"}", "{\"m\":\"c\"}"], received);
            Assert.Equal("{\"m\":\"a\"}\n", await everything.ReceiveTextAsync());
            await app.StopAsync(cts.Token);
        }
    }

    [Theory]
    [InlineData("/sse?stream=fast", "bad stream: expected lite, full or domains")]
    [InlineData("/sse?regex=(a", "bad filter: regex:")]
    public async Task A_bad_event_stream_request_is_refused_with_400_and_one_line(string path, string reason)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var nats = await NatsServer.StartAsync();
        var (app, baseUri) = await NatsEdge.StartAsync(_dir, nats.Url, cts.Token);
        await using (app)
        {
            using var http = new HttpClient { BaseAddress = baseUri };
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cts.Token);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.StartsWith(reason, await response.Content.ReadAsStringAsync(cts.Token), StringComparison.Ordinal);
            await app.StopAsync(cts.Token);
        }
    }

    [Theory]
    [InlineData("/?regex=(a", "bad filter: regex:")]
    [InlineData("/?type=cert", "bad filter: type: expected x509 or precert")]
    [InlineData("/full-stream?domain=exa%20mple.com", "bad filter: domain:")]
    [InlineData("/domains-only?domain=", "bad filter: domain: give one or more names")]
    [InlineData("/?regex=(a)\\1", "bad filter: regex:")]
    [InlineData("/?log=a&log=b", "bad filter: log: given 2 times")]
    public async Task A_bad_filter_is_refused_with_400_and_one_line_before_the_upgrade(string path, string reason)
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var nats = await NatsServer.StartAsync();
        var (app, baseUri) = await NatsEdge.StartAsync(_dir, nats.Url, cts.Token);
        await using (app)
        {
            await NatsEdge.WaitReadyAsync(baseUri, cts.Token);
            var refused = await Assert.ThrowsAsync<System.Net.WebSockets.WebSocketException>(() => EdgeClient.ConnectAsync(NatsEdge.Ws(baseUri, path)));
            Assert.Contains("400", refused.Message, StringComparison.Ordinal);

            using var http = new HttpClient { BaseAddress = baseUri };
            using var response = await http.GetAsync(new Uri(path, UriKind.Relative), cts.Token);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync(cts.Token);
            Assert.StartsWith(reason, body, StringComparison.Ordinal);
            Assert.Equal(1, body.Count(c => c == '\n'));
            await app.StopAsync(cts.Token);
        }
    }

    [Fact]
    public async Task The_edge_waits_for_NATS_not_ready_and_becomes_ready_when_it_comes()
    {
        using var cts = new CancellationTokenSource(Timeout);
        await using var nats = await NatsServer.StartAsync();
        nats.Kill();
        var (app, baseUri) = await NatsEdge.StartAsync(_dir, nats.Url, cts.Token);
        await using (app)
        {
            using var http = new HttpClient { BaseAddress = baseUri };
            using (var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative), cts.Token))
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            using (var response = await http.GetAsync(new Uri("/healthz", UriKind.Relative), cts.Token))
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);

            await nats.StartAgainAsync();
            await NatsEdge.WaitReadyAsync(baseUri, cts.Token);
            await app.StopAsync(cts.Token);
        }
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

}
