using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Certstream.EndToEnd.Tests.Harness;
using Certstream.TestSupport;

namespace Certstream.Bench;

/// <summary>
/// Edge fan-out: one edge process, 500 lite WebSocket clients (in this process), lite messages published to
/// NATS at a fixed high rate for a window. Delivered messages/s across all clients; the edge's resident memory ready
/// with no clients, with the clients connected and idle, and at the end of the load; the edge's CPU seconds over the window.
/// </summary>
internal static class EdgeFanoutBench
{
    private const int Clients = 500;
    private const string Subject = "certstream.lite.bench_example_com_log";
    private static readonly TimeSpan IdleSettle = TimeSpan.FromSeconds(2);

    /// <summary>Runs <paramref name="binaries"/>' edge; its figures end in <paramref name="suffix"/> (e.g. "_jit").</summary>
    public static async Task<int> RunAsync(ServiceBinarySet binaries, string suffix, int messagesPerSecond, TimeSpan window) =>
        (await RunCoreAsync(binaries, suffix, messagesPerSecond, window, filtered: false)).Status;

    /// <summary>
    /// What server-side filters cost (README "Filters"): the same fan-out twice, first with 500 unfiltered clients, then
    /// with 500 clients each with a different <c>domain</c> filter, every one of which the messages match — the same
    /// messages delivered, plus 500 filter checks per message. RATIO: the edge's CPU seconds filtered over unfiltered.
    /// </summary>
    public static async Task<int> RunFilteredAsync(ServiceBinarySet binaries, int messagesPerSecond, TimeSpan window)
    {
        var plain = await RunCoreAsync(binaries, "_unfiltered", messagesPerSecond, window, filtered: false);
        var filtered = await RunCoreAsync(binaries, "_filtered", messagesPerSecond, window, filtered: true);
        if (plain.Status != 0 || filtered.Status != 0) return 1;
        BenchOutput.Ratio("edge_filtered_cpu_vs_unfiltered", filtered.CpuSeconds / plain.CpuSeconds);
        return 0;
    }

    private static async Task<(int Status, double CpuSeconds)> RunCoreAsync(ServiceBinarySet binaries, string suffix, int messagesPerSecond, TimeSpan window, bool filtered)
    {
        using var cts = new CancellationTokenSource(window + TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        await using var nats = await NatsServer.StartAsync();
        var dir = Directory.CreateTempSubdirectory("certstream-bench-edge-");
        using var edge = BenchEdge.Create(binaries, nats.Url, dir);
        var sockets = new List<ClientWebSocket>();
        var counts = new long[Clients];
        var readers = new List<Task>();
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            await edge.StartAsync(waitReady: true, ct);
            // Ready means subscribed; the settle lets start-up work (JIT, tiering, first GCs) finish before the reading.
            await Task.Delay(IdleSettle, ct);
            var rssIdle = await EdgeProbe.MetricAsync(edge, "process_resident_memory_bytes", ct);
            var privateIdle = ProcStatus.PrivateResidentBytes(edge.Process.Id);
            for (var i = 0; i < Clients; i++)
            {
                var socket = new ClientWebSocket();
                // Each filter different, each matching every message (its own name, or example.com which they all carry).
                await socket.ConnectAsync(edge.WebSocketUri(filtered ? $"/?domain=client{i}.bench.test,example.com" : "/"), ct);
                sockets.Add(socket);
                var index = i;
                readers.Add(Task.Run(() => WebSocketReader.RunAsync(socket, _ => counts[index]++, stopReading.Token), ct));
            }
            await EdgeProbe.EventuallyAsync(() => EdgeProbe.ClientsAsync(edge, ct), n => n == Clients, TimeSpan.FromSeconds(30), "clients connected", ct);
            await Task.Delay(IdleSettle, ct);
            var rssIdleClients = await EdgeProbe.MetricAsync(edge, "process_resident_memory_bytes", ct);
            var privateIdleClients = ProcStatus.PrivateResidentBytes(edge.Process.Id);

            await using var publisher = await NatsClients.ConnectAsync(nats.Url, "bench-edge");
            var payload = LiteMessage();
            // The parser's filter headers, as on every certificate message.
            var headers = new NATS.Client.Core.NatsHeaders
            {
                [Certstream.Contracts.FilterHeaders.Type] = Certstream.Contracts.FilterHeaders.X509,
                [Certstream.Contracts.FilterHeaders.Source] = "https://ct.example.com/logs/bench",
                [Certstream.Contracts.FilterHeaders.Domains] = "www.example.com,example.com,mail.example.com,api.example.com",
            };
            var cpuBefore = await EdgeProbe.MetricAsync(edge, "process_cpu_seconds_total", ct);
            var deliveredBefore = counts.Sum();
            var published = 0L;
            var clock = Stopwatch.StartNew();
            // Paced in 10 ms ticks: as many messages as the rate says should have gone by now.
            while (clock.Elapsed < window)
            {
                var due = (long)(clock.Elapsed.TotalSeconds * messagesPerSecond);
                for (; published < due; published++) await publisher.PublishAsync(Subject, payload, headers, cancellationToken: ct);
                await Task.Delay(10, ct);
            }
            await publisher.PingAsync(ct);
            var elapsed = clock.Elapsed;
            var rssLoaded = await EdgeProbe.MetricAsync(edge, "process_resident_memory_bytes", ct);
            var privateLoaded = ProcStatus.PrivateResidentBytes(edge.Process.Id);
            var cpuAfter = await EdgeProbe.MetricAsync(edge, "process_cpu_seconds_total", ct);
            var delivered = counts.Sum() - deliveredBefore;
            using var stats = await EdgeProbe.StatsAsync(edge, ct);
            var skipped = stats.RootElement.GetProperty("skipped_messages").GetInt64();

            var offered = published * (double)Clients / elapsed.TotalSeconds;
            BenchOutput.Figure("edge_fanout_offered_msgs_per_s" + suffix, offered, "msgs/s");
            BenchOutput.Figure("edge_fanout_msgs_per_s" + suffix, delivered / elapsed.TotalSeconds, "msgs/s");
            BenchOutput.Figure("edge_fanout_skipped" + suffix, skipped, "msgs");
            BenchOutput.Figure("edge_rss_mb_idle" + suffix, rssIdle / 1048576, "MiB", "F1");
            BenchOutput.Figure($"edge_rss_mb_idle_{Clients}" + suffix, rssIdleClients / 1048576, "MiB", "F1");
            BenchOutput.Figure("edge_rss_mb_loaded" + suffix, rssLoaded / 1048576, "MiB", "F1");
            // RSS counts the framework's read-only code pages (file-backed, shared by every .NET process on the host);
            // memory not backed by files is what one more edge replica really costs.
            BenchOutput.Figure("edge_private_mb_idle" + suffix, privateIdle / 1048576, "MiB", "F1");
            BenchOutput.Figure($"edge_private_mb_idle_{Clients}" + suffix, privateIdleClients / 1048576, "MiB", "F1");
            BenchOutput.Figure("edge_private_mb_loaded" + suffix, privateLoaded / 1048576, "MiB", "F1");
            BenchOutput.Figure("edge_cpu_s" + suffix, cpuAfter - cpuBefore, "s", "F2");
            BenchOutput.Figure("edge_message_bytes" + suffix, payload.Length, "B");
            return (0, cpuAfter - cpuBefore);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or WebSocketException or HttpRequestException)
        {
            Console.Error.WriteLine($"bench edge ({binaries.Name}): {e.Message}\n{edge.Tail()}");
            return (1, 0);
        }
        finally
        {
            await stopReading.CancelAsync();
            foreach (var socket in sockets) socket.Abort();
            await Task.WhenAll(readers);
            foreach (var socket in sockets) socket.Dispose();
            edge.Dispose();
            dir.Delete(recursive: true);
        }
    }

    /// <summary>A lite message of typical size and shape (certstream-server-go's format, no chain or as_der).</summary>
    internal static byte[] LiteMessage()
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartObject("data");
            w.WriteNumber("cert_index", 123456789);
            w.WriteString("cert_link", "https://ct.example.com/logs/bench/ct/v1/get-entries?start=123456789&end=123456789");
            w.WriteStartObject("leaf_cert");
            w.WriteStartArray("all_domains");
            foreach (var d in new[] { "www.example.com", "example.com", "mail.example.com", "api.example.com" }) w.WriteStringValue(d);
            w.WriteEndArray();
            w.WriteStartObject("extensions");
            w.WriteString("authorityInfoAccess", "CA Issuers - URI:http://r11.i.lencr.org/\nOCSP - URI:http://r11.o.lencr.org\n");
            w.WriteString("authorityKeyIdentifier", "keyid:C5:CF:46:A4:EA:F4:C3:C0:7A:6C:95:C4:2D:B0:5E:92:2F:26:E3:B9\n");
            w.WriteString("basicConstraints", "CA:FALSE");
            w.WriteString("certificatePolicies", "Policy: 2.23.140.1.2.1");
            w.WriteString("extendedKeyUsage", "TLS Web Server Authentication, TLS Web Client Authentication");
            w.WriteString("keyUsage", "Digital Signature, Key Encipherment");
            w.WriteString("subjectAltName", "DNS:www.example.com, DNS:example.com, DNS:mail.example.com, DNS:api.example.com");
            w.WriteString("subjectKeyIdentifier", "7E:3C:12:9A:0B:4D:55:61:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01");
            w.WriteEndObject();
            w.WriteString("fingerprint", "3B:8E:9F:1A:22:7C:55:D0:1E:4A:9B:6C:7D:8E:9F:A0:B1:C2:D3:E4");
            w.WriteStartObject("issuer");
            w.WriteString("C", "US"); w.WriteString("CN", "R11"); w.WriteNull("L"); w.WriteString("O", "Let's Encrypt"); w.WriteNull("OU"); w.WriteNull("ST");
            w.WriteString("aggregated", "/C=US/CN=R11/O=Let's Encrypt"); w.WriteNull("email_address");
            w.WriteEndObject();
            w.WriteNumber("not_after", 1_790_000_000);
            w.WriteNumber("not_before", 1_782_000_000);
            w.WriteString("serial_number", "04A1B2C3D4E5F60718293A4B5C6D7E8F9011");
            w.WriteString("sha1", "3B:8E:9F:1A:22:7C:55:D0:1E:4A:9B:6C:7D:8E:9F:A0:B1:C2:D3:E4");
            w.WriteString("sha256", "9F:86:D0:81:88:4C:7D:65:9A:2F:EA:A0:C5:5A:D0:15:A3:BF:4F:1B:2B:0B:82:2C:D1:5D:6C:15:B0:F0:0A:08");
            w.WriteString("signature_algorithm", "sha256, rsa");
            w.WriteStartObject("subject");
            w.WriteNull("C"); w.WriteString("CN", "www.example.com"); w.WriteNull("L"); w.WriteNull("O"); w.WriteNull("OU"); w.WriteNull("ST");
            w.WriteString("aggregated", "/CN=www.example.com"); w.WriteNull("email_address");
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteNumber("seen", 1_782_000_123.456);
            w.WriteStartObject("source");
            w.WriteString("name", "Bench 'Example' log");
            w.WriteString("url", "https://ct.example.com/logs/bench");
            w.WriteEndObject();
            w.WriteString("update_type", "X509LogEntry");
            w.WriteEndObject();
            w.WriteString("message_type", "certificate_update");
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }
}
