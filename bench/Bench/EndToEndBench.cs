using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Certstream.EndToEnd.Tests.Harness;
using Certstream.TestSupport;

namespace Certstream.Bench;

/// <summary>
/// End-to-end latency: the whole product as processes (nats-server, ctlog-sim, ingestor, parser, edge), the
/// simulator's RFC 6962 logs growing at ~1,000 entries/s in total, one lite WebSocket client. Latency of an entry =
/// the moment the client has its message minus the entry's timestamp (the wall clock when the simulator appended it),
/// so it includes the wait for the ingestor's next get-sth poll. Tiled logs are left out: a static-ct-api log is read
/// a full tile (256 entries) at a time, or a partial tile after partial_tile_wait, by design (docs/ingest.md).
/// </summary>
internal static class EndToEndBench
{
    /// <summary>ingestor.sth_poll_interval: an entry waits up to this long before the ingestor learns of it.</summary>
    private const int PollIntervalMs = 100;

    public static async Task<int> RunAsync(ServiceBinarySet binaries, TimeSpan warmup, TimeSpan window) =>
        (await MeasureAsync(binaries, warmup, window)).Status;

    /// <summary>
    /// One run; on <paramref name="natsNodes"/> nats-servers (3: a cluster, with nats.replicas 3 and the history keeping
    /// all three streams' replicas alike), its figures ending in <paramref name="suffix"/>.
    /// </summary>
    public static async Task<EndToEndResult> MeasureAsync(ServiceBinarySet binaries, TimeSpan warmup, TimeSpan window, int natsNodes = 1, string suffix = "")
    {
        using var cts = new CancellationTokenSource(warmup + window + TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        await using var pipeline = await Pipeline.StartAsync(new PipelineOptions
        {
            Binaries = binaries,
            Simulator = new SimulatorOptions { Rfc6962Logs = 2, TiledLogs = 0, InitialSize = 1, EntriesPerSecondPerLog = 500, BatchCaps = "1024" },
            SthPollInterval = $"{PollIntervalMs}ms",
            NatsNodes = natsNodes,
            Replicas = natsNodes >= 3 ? 3 : 1,
        }, ct);

        var received = new List<(string Url, long Index, long ReceivedMs, double SeenMs)>();
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(pipeline.Edges[0].WebSocketUri("/"), ct);
        var reading = WebSocketReader.RunAsync(socket, message =>
        {
            var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(); // wall clock, as the simulator's timestamps
            using var doc = JsonDocument.Parse(message);
            var data = doc.RootElement.GetProperty("data");
            lock (received) received.Add((data.GetProperty("source").GetProperty("url").GetString()!, data.GetProperty("cert_index").GetInt64(), now, data.GetProperty("seen").GetDouble() * 1000));
        }, ct);

        // A tap on NATS: when each lite message is on certstream.lite.*, to split ingestor+parser from edge.
        var tapped = new Dictionary<(string Url, long Index), long>();
        await using var nats = await NatsClients.ConnectAsync(pipeline.NatsUrl, "bench-e2e-tap");
        await using var tap = await nats.SubscribeCoreAsync<byte[]>("certstream.lite.*", cancellationToken: ct);
        var tapping = Task.Run(async () =>
        {
            try
            {
                await foreach (var msg in tap.Msgs.ReadAllAsync(ct))
                {
                    var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    using var doc = JsonDocument.Parse(msg.Data);
                    var data = doc.RootElement.GetProperty("data");
                    var key = (data.GetProperty("source").GetProperty("url").GetString()!, data.GetProperty("cert_index").GetInt64());
                    lock (tapped) tapped.TryAdd(key, now);
                }
            }
            catch (OperationCanceledException)
            {
            }
        }, ct);

        // Each service's memory ready and without traffic (the ingestor starts on logs holding one entry each).
        var parserIdle = ProcStatus.ResidentBytes(pipeline.Parsers[0].Process.Id);
        var edgeIdle = ProcStatus.ResidentBytes(pipeline.Edges[0].Process.Id);
        await pipeline.StartIngestorAsync(ct);
        var ingestorIdle = ProcStatus.ResidentBytes(pipeline.Ingestor.Process.Id);
        var windowStart = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + (long)warmup.TotalMilliseconds;
        await Task.Delay(warmup + window, ct); // the measurement window itself
        var windowEnd = windowStart + (long)window.TotalMilliseconds;
        // Entries appended near the end of the window get time to arrive.
        await Task.Delay(TimeSpan.FromSeconds(2), ct);

        List<(string Url, long Index, long ReceivedMs, double SeenMs)> copy;
        lock (received) copy = [.. received];
        var arrivals = copy.GroupBy(r => (r.Url, r.Index)).ToDictionary(g => g.Key, g => g.MinBy(r => r.ReceivedMs));
        var latencies = new List<double>();
        var toSeen = new List<double>();
        var seenToClient = new List<double>();
        var seenToNats = new List<double>();
        var natsToClient = new List<double>();
        var missing = 0;
        foreach (var log in pipeline.Simulator.Logs)
        {
            var size = (await pipeline.Simulator.TreeSizesAsync(ct))[log.Name];
            foreach (var entry in await pipeline.Simulator.RecordAsync(log.Name, 0, size - 1, ct))
            {
                if (entry.Timestamp < windowStart || entry.Timestamp >= windowEnd) continue;
                if (arrivals.TryGetValue((log.SourceUrl, entry.Index), out var at))
                {
                    latencies.Add(at.ReceivedMs - entry.Timestamp);
                    // data.seen is the RawEntry's fetched_at: when the ingestor fetched the entry from the log.
                    toSeen.Add(at.SeenMs - entry.Timestamp);
                    seenToClient.Add(at.ReceivedMs - at.SeenMs);
                    long onNats;
                    bool tappedIt;
                    lock (tapped) tappedIt = tapped.TryGetValue((log.SourceUrl, entry.Index), out onNats);
                    if (tappedIt)
                    {
                        seenToNats.Add(onNats - at.SeenMs);
                        natsToClient.Add(at.ReceivedMs - onNats);
                    }
                }
                else
                {
                    missing++;
                }
            }
        }
        // Peak memory over the run at 1,000 entries/s.
        var ingestorLoaded = ProcStatus.PeakResidentBytes(pipeline.Ingestor.Process.Id);
        var parserLoaded = ProcStatus.PeakResidentBytes(pipeline.Parsers[0].Process.Id);
        var edgeLoaded = ProcStatus.PeakResidentBytes(pipeline.Edges[0].Process.Id);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await cts.CancelAsync();
        await reading;
        await tapping;
        if (latencies.Count == 0)
        {
            Console.Error.WriteLine("bench e2e: no entries measured\n" + pipeline.Diagnostics());
            return new EndToEndResult(1, 0, 0, 0);
        }
        latencies.Sort();
        toSeen.Sort();
        seenToClient.Sort();
        seenToNats.Sort();
        natsToClient.Sort();
        var rate = latencies.Count / window.TotalSeconds;
        var prefix = "e2e" + suffix + "_"; // e.g. e2e_latency_p99_ms, e2e_3node_r3_latency_p99_ms
        BenchOutput.Figure(prefix + "rate", rate, "entries/s");
        BenchOutput.Figure(prefix + "latency_p50_ms", Percentile(latencies, 0.50), "ms", "F1");
        BenchOutput.Figure(prefix + "latency_p99_ms", Percentile(latencies, 0.99), "ms", "F1");
        BenchOutput.Figure(prefix + "latency_max_ms", latencies[^1], "ms", "F1");
        BenchOutput.Figure(prefix + "append_to_fetch_p50_ms", Percentile(toSeen, 0.50), "ms", "F1");
        BenchOutput.Figure(prefix + "append_to_fetch_p99_ms", Percentile(toSeen, 0.99), "ms", "F1");
        BenchOutput.Figure(prefix + "fetch_to_client_p50_ms", Percentile(seenToClient, 0.50), "ms", "F1");
        BenchOutput.Figure(prefix + "fetch_to_client_p99_ms", Percentile(seenToClient, 0.99), "ms", "F1");
        if (seenToNats.Count > 0)
        {
            BenchOutput.Figure(prefix + "fetch_to_nats_p50_ms", Percentile(seenToNats, 0.50), "ms", "F1");
            BenchOutput.Figure(prefix + "fetch_to_nats_p99_ms", Percentile(seenToNats, 0.99), "ms", "F1");
            BenchOutput.Figure(prefix + "nats_to_client_p50_ms", Percentile(natsToClient, 0.50), "ms", "F1");
            BenchOutput.Figure(prefix + "nats_to_client_p99_ms", Percentile(natsToClient, 0.99), "ms", "F1");
        }
        BenchOutput.Figure(prefix + "sth_poll_interval_ms", PollIntervalMs, "ms");
        const double MiB = 1024 * 1024;
        BenchOutput.Figure(prefix + "ingestor_rss_mb_idle", ingestorIdle / MiB, "MiB", "F1");
        BenchOutput.Figure(prefix + "parser_rss_mb_idle", parserIdle / MiB, "MiB", "F1");
        BenchOutput.Figure(prefix + "edge_rss_mb_idle", edgeIdle / MiB, "MiB", "F1");
        BenchOutput.Figure(prefix + "ingestor_rss_mb_loaded", ingestorLoaded / MiB, "MiB", "F1");
        BenchOutput.Figure(prefix + "parser_rss_mb_loaded", parserLoaded / MiB, "MiB", "F1");
        BenchOutput.Figure(prefix + "edge_rss_mb_loaded", edgeLoaded / MiB, "MiB", "F1");
        BenchOutput.Figure(prefix + "missing", missing, "entries");
        return new EndToEndResult(missing == 0 ? 0 : 1, rate, Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}

/// <summary>What one end-to-end run measured: its exit status (1 when an entry is missing), entries/s and latency percentiles.</summary>
internal readonly record struct EndToEndResult(int Status, double Rate, double P50Ms, double P99Ms);
