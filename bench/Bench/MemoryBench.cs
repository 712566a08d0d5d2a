using System.Diagnostics;
using System.Net.WebSockets;
using Certstream.EndToEnd.Tests.Harness;
using Certstream.TestSupport;

namespace Certstream.Bench;

/// <summary>
/// The whole pipeline's memory, for one build (JIT or Native AOT): nats-server, the simulator (2 RFC 6962 and 2 tiled logs
/// of one entry each, not growing by themselves), then the ingestor, the parser and the edge started one after another,
/// each timed from its start to its first 200 on /readyz. Resident memory (VmRSS) of each of the four processes:
/// <list type="bullet">
/// <item>idle: ready, no traffic, after a settle of 12 s (two looks of the services' memory trimmer);</item>
/// <item>idle after a burst: 5,000 entries appended to each log, all delivered to a client, then the settle;</item>
/// <item>loaded: 500 lite clients while the logs grow by 400 entries/s in total (200,000 messages/s out of the edge);
/// the highest sample of each process and of their sum.</item>
/// </list>
/// The shipped build (AOT) prints the plain names; the JIT build the same names ending in <c>_jit</c>.
/// </summary>
internal static class MemoryBench
{
    private const int Clients = 500;
    private const int BurstPerLog = 5_000;
    private const int LoadPerLogPerTick = 10;
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan Sample = TimeSpan.FromMilliseconds(250);
    private const double MiB = 1024 * 1024;

    public static async Task<int> RunAsync(ServiceBinarySet binaries, TimeSpan loadWindow)
    {
        var suffix = binaries.Build == ServiceBuild.Aot ? "" : "_" + binaries.Name;
        using var cts = new CancellationTokenSource(loadWindow + TimeSpan.FromMinutes(5));
        var ct = cts.Token;
        await using var pipeline = await Pipeline.StartAsync(new PipelineOptions
        {
            Binaries = binaries,
            StartServices = false,
            Simulator = new SimulatorOptions { Rfc6962Logs = 2, TiledLogs = 2, InitialSize = 1, EntriesPerSecondPerLog = 0, BatchCaps = "1024" },
            SthPollInterval = "200ms",
            PartialTileWait = "1s",
        }, ct);
        var sockets = new List<ClientWebSocket>();
        var readers = new List<Task>();
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            // Start to ready, one service at a time (the parser's readiness needs the CT_RAW stream the ingestor creates).
            var services = new[] { pipeline.Ingestor, pipeline.Parsers[0], pipeline.Edges[0] };
            foreach (var service in services)
            {
                service.ReadyPollInterval = TimeSpan.FromMilliseconds(5);
                var clock = Stopwatch.StartNew();
                await service.StartAsync(waitReady: true, ct);
                BenchOutput.Figure($"{service.Name.Split('-')[0]}_ready_ms{suffix}", clock.Elapsed.TotalMilliseconds, "ms", "F0");
            }
            int[] pids = [.. services.Select(s => s.Process.Id), pipeline.Nats.ProcessId ?? throw new InvalidOperationException("nats-server is not running")];
            string[] names = ["ingestor", "parser", "edge", "nats"];

            await Task.Delay(Settle, ct);
            Report("rss_idle_mb", pids.Select(ProcStatus.ResidentBytes).ToArray());

            // A counting client, then the burst: every entry must reach it before the reading.
            long delivered = 0;
            var counter = new ClientWebSocket();
            await counter.ConnectAsync(pipeline.Edges[0].WebSocketUri("/"), ct);
            sockets.Add(counter);
            // Entries appended from now on (index 1 and up; each log started with entry 0, which went out before).
            readers.Add(Task.Run(() => WebSocketReader.RunAsync(counter, m => { if (CertIndex(m.Span) >= 1) Interlocked.Increment(ref delivered); }, stopReading.Token), ct));
            using var http = new HttpClient { BaseAddress = pipeline.Simulator.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
            var appended = 0L;
            foreach (var log in pipeline.Simulator.Logs)
            {
                await AppendAsync(http, log.Name, BurstPerLog, ct);
                appended += BurstPerLog;
            }
            await EdgeProbe.EventuallyAsync(() => Task.FromResult(Interlocked.Read(ref delivered)), n => n >= appended, TimeSpan.FromMinutes(2), "the burst delivered", ct);
            await Task.Delay(Settle, ct);
            Report("rss_idle_after_burst_mb", pids.Select(ProcStatus.ResidentBytes).ToArray());

            // Loaded: 500 lite clients while the logs grow.
            var counts = new long[Clients - 1];
            for (var i = 0; i < Clients - 1; i++)
            {
                var socket = new ClientWebSocket();
                await socket.ConnectAsync(pipeline.Edges[0].WebSocketUri("/"), ct);
                sockets.Add(socket);
                var index = i;
                readers.Add(Task.Run(() => WebSocketReader.RunAsync(socket, _ => counts[index]++, stopReading.Token), ct));
            }
            await EdgeProbe.EventuallyAsync(() => EdgeProbe.ClientsAsync(pipeline.Edges[0], ct), n => n == Clients, TimeSpan.FromSeconds(30), "clients connected", ct);
            var peak = new double[pids.Length];
            var peakSum = 0.0;
            var before = Interlocked.Read(ref delivered);
            var load = Stopwatch.StartNew();
            var nextSample = TimeSpan.Zero;
            var ticks = 0;
            while (load.Elapsed < loadWindow)
            {
                await Task.WhenAll(pipeline.Simulator.Logs.Select(l => AppendAsync(http, l.Name, LoadPerLogPerTick, ct)));
                appended += LoadPerLogPerTick * pipeline.Simulator.Logs.Count;
                ticks++;
                if (load.Elapsed >= nextSample)
                {
                    var now = pids.Select(ProcStatus.ResidentBytes).ToArray();
                    for (var i = 0; i < pids.Length; i++) peak[i] = Math.Max(peak[i], now[i]);
                    peakSum = Math.Max(peakSum, now.Sum());
                    nextSample += Sample;
                }
                var due = Tick * ticks;
                if (due > load.Elapsed) await Task.Delay(due - load.Elapsed, ct);
            }
            await EdgeProbe.EventuallyAsync(() => Task.FromResult(Interlocked.Read(ref delivered)), n => n >= appended, TimeSpan.FromMinutes(2), "the load delivered", ct);
            var elapsed = load.Elapsed;
            using var stats = await EdgeProbe.StatsAsync(pipeline.Edges[0], ct);
            var skipped = stats.RootElement.GetProperty("skipped_messages").GetInt64();
            var offered = (Interlocked.Read(ref delivered) - before) * (double)Clients / elapsed.TotalSeconds;

            for (var i = 0; i < pids.Length; i++) BenchOutput.Figure($"{names[i]}_rss_loaded_mb{suffix}", peak[i] / MiB, "MiB", "F1");
            BenchOutput.Figure($"pipeline_rss_loaded_mb{suffix}", peakSum / MiB, "MiB", "F1");
            BenchOutput.Figure($"pipeline_loaded_msgs_per_s{suffix}", offered, "msgs/s", "F0");
            BenchOutput.Figure($"pipeline_loaded_skipped{suffix}", skipped, "msgs");
            return skipped == 0 ? 0 : 1;

            void Report(string figure, double[] bytes)
            {
                for (var i = 0; i < bytes.Length; i++) BenchOutput.Figure($"{names[i]}_{figure}{suffix}", bytes[i] / MiB, "MiB", "F1");
                // The four processes a deployment runs (the simulator stands in for the CT logs).
                BenchOutput.Figure($"pipeline_{figure}{suffix}", bytes.Sum() / MiB, "MiB", "F1");
            }
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or WebSocketException or HttpRequestException)
        {
            Console.Error.WriteLine($"bench memory ({binaries.Name}): {e.Message}\n{pipeline.Diagnostics()}");
            return 1;
        }
        finally
        {
            await stopReading.CancelAsync();
            foreach (var socket in sockets) socket.Abort();
            await Task.WhenAll(readers);
            foreach (var socket in sockets) socket.Dispose();
        }
    }

    private static async Task AppendAsync(HttpClient http, string log, int count, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(new Uri($"/_sim/append/{log}?count={count}", UriKind.Relative), null, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The <c>data.cert_index</c> of a certificate message, or -1 (a heartbeat, or no such field).</summary>
    private static long CertIndex(ReadOnlySpan<byte> message)
    {
        var key = "\"cert_index\":"u8;
        var at = message.IndexOf(key);
        if (at < 0) return -1;
        var digits = message[(at + key.Length)..];
        long value = 0;
        var i = 0;
        for (; i < digits.Length && digits[i] is >= (byte)'0' and <= (byte)'9'; i++) value = (value * 10) + (digits[i] - '0');
        return i == 0 ? -1 : value;
    }
}
