using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Certstream.Contracts;
using Certstream.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using NATS.Client.JetStream;

namespace Certstream.Bench;

/// <summary>
/// The ingestor end to end: an in-process CT log server (4 RFC 6962 logs, no faults, 1,024 entries an answer; entries are
/// the two Argon2027h1 fixture entries with the index written into the timestamp, so every entry differs) → the built
/// ingestor as a child process (<c>dotnet Certstream.Ingestor.dll -c &lt;config&gt;</c>, the production host and GC settings:
/// fetch, MessagePack, pipelined JetStream publish, KV checkpoints, leases) → CT_RAW on a nats-server this bench starts.
/// The rate is measured over the stream's own message count between 10 % and 100 %. CPU and peak RSS are the ingestor
/// process alone, read from /proc (CPU from its start, so runtime start-up is included; peak RSS is VmHWM).
/// </summary>
internal static class IngestBench
{
    private const int Logs = 4;
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Runs <paramref name="binaries"/>' ingestor, with <c>ingestor.fetch_buffer</c> at <paramref name="fetchBuffer"/> (null: the
    /// default); its figures end in <paramref name="suffix"/> (e.g. "_jit").
    /// </summary>
    public static async Task<int> RunAsync(ServiceBinarySet binaries, string suffix, string? fetchBuffer = null, ulong perLog = 100_000UL) =>
        await MeasureAsync(binaries, suffix, fetchBuffer, perLog) > 0 ? 0 : 1;

    /// <summary>One run, on <paramref name="natsNodes"/> nats-servers (3: a cluster, with nats.replicas 3); returns entries/s.</summary>
    public static async Task<double> MeasureAsync(ServiceBinarySet binaries, string suffix, string? fetchBuffer = null, ulong perLog = 100_000UL, int natsNodes = 1)
    {
        var total = perLog * Logs;
        await using var cluster = natsNodes > 1 ? await NatsCluster.StartAsync(natsNodes) : null;
        await using var server = cluster is null ? await NatsServer.StartAsync() : null;
        await using var logServer = await SyntheticLogServer.StartAsync(perLog);
        var natsUrl = cluster?.Url ?? server!.Url;
        var replicas = cluster is null ? 1 : 3;
        await using var client = await NatsClients.ConnectAsync(natsUrl, "bench-observer");
        var js = new NatsJSContext(client);

        var configPath = Path.Combine(Path.GetTempPath(), "certstream-bench-ingest-" + Guid.NewGuid().ToString("N") + ".yaml");
        await File.WriteAllTextAsync(configPath, Config(natsUrl, replicas, logServer, fetchBuffer));
        using var ingestor = ChildProcess.StartService("ingestor", binaries.Ingestor, ["-c", configPath]);
        try
        {
            var wall = Stopwatch.StartNew();
            TimeSpan? at10 = null;
            var stored = 0UL;
            while (stored < total)
            {
                await Task.Delay(50);
                if (ingestor.HasExited) throw new InvalidOperationException($"the ingestor exited early\n{ingestor.Tail()}");
                try
                {
                    stored = (ulong)(await js.GetStreamAsync(JetStreamNames.RawStream)).Info.State.Messages;
                }
                catch (NatsJSApiException)
                {
                    continue; // not created yet
                }
                if (at10 is null && stored >= total / 10) at10 = wall.Elapsed;
                if (wall.Elapsed > Patience) throw new TimeoutException($"only {stored} of {total} entries stored after {Patience}\n{ingestor.Tail()}");
            }
            var at100 = wall.Elapsed;
            TimeSpan cpu;
            using (var process = Process.GetProcessById(ingestor.Id)) cpu = ProcessCpu.Of(process); // since start, runtime start-up included
            var peakRssMb = ProcStatus.PeakResidentBytes(ingestor.Id) / 1048576;
            int? stopped;
            try
            {
                stopped = await ingestor.TerminateAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                stopped = null;
            }

            var rate = (total - (total / 10)) / (at100 - at10!.Value).TotalSeconds;
            BenchOutput.Figure("ingest_entries_per_s" + suffix, rate, "entries/s");
            BenchOutput.Figure("ingest_cpu_s_per_1000_entries" + suffix, cpu.TotalSeconds / (total / 1000.0), "s", "F4");
            BenchOutput.Figure("ingest_peak_rss_mb" + suffix, peakRssMb, "MB");
            Console.Error.WriteLine($"ingest ({binaries.Name}, {natsNodes} nats-server{(natsNodes > 1 ? "s" : "")}): {total} entries in {at100.TotalSeconds:F1} s wall (first 10 % by {at10.Value.TotalSeconds:F1} s), "
                + $"ingestor {cpu.TotalSeconds:F1} s CPU, peak RSS {peakRssMb:F0} MB, {logServer.Requests} get-entries answers; "
                + (stopped is { } code ? $"ingestor exited {code} after SIGTERM" : "ingestor killed after 30 s without exiting"));
            return rate;
        }
        finally
        {
            File.Delete(configPath);
        }
    }

    /// <summary>Only keys config.yaml defines (the loader is strict); start_at 0 backfills each synthetic log.</summary>
    private static string Config(string natsUrl, int replicas, SyntheticLogServer logServer, string? fetchBuffer)
    {
        var yaml = new StringBuilder()
            .Append("nats:\n  url: \"").Append(natsUrl).Append("\"\n  replicas: ").Append(replicas.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("general:\n  disable_default_logs: true\n  start_at: 0\n  additional_logs:\n");
        for (var i = 0; i < Logs; i++)
        {
            yaml.Append("    - url: \"").Append(logServer.UrlOf(i)).Append("\"\n")
                .Append("      operator: \"Bench\"\n")
                .Append("      description: \"Bench log ").Append(i.ToString(CultureInfo.InvariantCulture)).Append("\"\n");
        }
        yaml.Append("ingestor:\n  sth_poll_interval: 1s\n");
        if (fetchBuffer is not null) yaml.Append("  fetch_buffer: ").Append(fetchBuffer).Append('\n');
        yaml
            .Append("  metrics_port: ").Append(Certstream.TestSupport.FreePort.Next().ToString(CultureInfo.InvariantCulture)).Append('\n');
        return yaml.ToString();
    }

    /// <summary>
    /// Serves get-sth and get-entries for <see cref="Logs"/> logs of a fixed size, fast: the base64 of each template entry is
    /// rendered once and only its first 12 bytes (header and timestamp = index) are re-encoded per entry.
    /// </summary>
    private sealed class SyntheticLogServer : IAsyncDisposable
    {
        private const int Cap = 1024;
        private readonly WebApplication _app;
        private readonly ulong _treeSize;
        private readonly (byte[] Leaf, byte[] LeafBase64Tail, byte[] ExtraBase64)[] _templates;
        private long _requests;

        private SyntheticLogServer(WebApplication app, int port, ulong treeSize)
        {
            _app = app;
            _treeSize = treeSize;
            BaseUrl = $"http://127.0.0.1:{port}/";
            using var fixture = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(RepoPaths.Fixtures, "rfc6962", "argon2027h1_get-entries_380000003-380000004.json")));
            _templates = [.. fixture.RootElement.GetProperty("entries").EnumerateArray().Select(e =>
            {
                var leaf = e.GetProperty("leaf_input").GetBytesFromBase64();
                var tail = Encoding.ASCII.GetBytes(Convert.ToBase64String(leaf.AsSpan(12)));
                return (leaf, tail, Encoding.ASCII.GetBytes(e.GetProperty("extra_data").GetString()!));
            })];
        }

        public string BaseUrl { get; }

        public long Requests => Interlocked.Read(ref _requests);

        public string UrlOf(int log) => $"{BaseUrl}logs/bench{log}/";

        public static async Task<SyntheticLogServer> StartAsync(ulong treeSize)
        {
            var port = Certstream.TestSupport.FreePort.Next();
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
            var app = builder.Build();
            var server = new SyntheticLogServer(app, port, treeSize);
            app.MapGet("/logs/{name}/ct/v1/get-sth", () => Results.Text(string.Create(CultureInfo.InvariantCulture,
                $"{{\"tree_size\":{treeSize},\"timestamp\":1791095073447,\"sha256_root_hash\":\"62+t2XxLmSqJnk7pxUna6EVA7+u+dotyl8q6wojifD8=\",\"tree_head_signature\":\"BAMARzBF\"}}"), "application/json"));
            app.MapGet("/logs/{name}/ct/v1/get-entries", (HttpContext context) => server.WriteEntriesAsync(context));
            await app.StartAsync();
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        private async Task WriteEntriesAsync(HttpContext context)
        {
            Interlocked.Increment(ref _requests);
            if (!ulong.TryParse(context.Request.Query["start"], out var start) || !ulong.TryParse(context.Request.Query["end"], out var end) || start > end || start >= _treeSize)
            {
                context.Response.StatusCode = 400;
                return;
            }
            var count = Math.Min(Math.Min(end, _treeSize - 1) - start + 1, Cap);
            context.Response.ContentType = "application/json";
            var writer = context.Response.BodyWriter;
            Write(writer, "{\"entries\":["u8);
            var head = new byte[12];
            var head64 = new byte[16];
            for (var i = 0UL; i < count; i++)
            {
                var index = start + i;
                var (leaf, tail, extra) = _templates[index % (ulong)_templates.Length];
                leaf.AsSpan(0, 12).CopyTo(head);
                BinaryPrimitives.WriteUInt64BigEndian(head.AsSpan(2), index);
                System.Buffers.Text.Base64.EncodeToUtf8(head, head64, out _, out _);
                Write(writer, i == 0 ? "{\"leaf_input\":\""u8 : ",{\"leaf_input\":\""u8);
                Write(writer, head64);
                Write(writer, tail);
                Write(writer, "\",\"extra_data\":\""u8);
                Write(writer, extra);
                Write(writer, "\"}"u8);
                if (i % 64 == 63) await writer.FlushAsync(context.RequestAborted);
            }
            Write(writer, "]}"u8);
            await writer.FlushAsync(context.RequestAborted);
        }

        private static void Write(System.IO.Pipelines.PipeWriter writer, ReadOnlySpan<byte> bytes)
        {
            var span = writer.GetSpan(bytes.Length);
            bytes.CopyTo(span);
            writer.Advance(bytes.Length);
        }
    }
}
