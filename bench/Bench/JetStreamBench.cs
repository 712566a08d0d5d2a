using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Certstream.Nats;
using Certstream.Nats.JetStream;
using Certstream.Nats.JetStream.Models;

namespace Certstream.Bench;

/// <summary>
/// JetStream publish with acks pipelined (window 256, a Nats-Msg-Id per message, file storage as CT_RAW uses):
/// this client against the official JS client (tests/node/jetstream-interop.mjs jspub), same server, same run.
/// </summary>
internal static class JetStreamBench
{
    private const int Window = 256;
    private const int PayloadSize = 512;

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100_000;
        var store = Path.Combine(Path.GetTempPath(), "certstream-jsbench-" + Guid.NewGuid().ToString("N"));
        var port = FreePort();
        using var server = StartServer(port, store);
        try
        {
            var url = $"nats://127.0.0.1:{port}";
            await using var conn = new NatsConnection(new NatsOpts { Url = url, Name = "bench" });
            await WaitConnectAsync(conn);
            var js = new NatsJSContext(conn);
            await js.CreateStreamAsync(new StreamConfig("BENCH_OURS", "bench.ours.>") { DuplicateWindow = TimeSpan.FromMinutes(10) });
            await js.CreateStreamAsync(new StreamConfig("BENCH_JS", "bench.js.>") { DuplicateWindow = TimeSpan.FromMinutes(10) });

            await PublishOursAsync(js, "bench.ours.warmup", Math.Min(10_000, count));
            var ours = await PublishOursAsync(js, "bench.ours.x", count);
            var theirs = await PublishJsAsync(url, "bench.js.x", count);

            Console.WriteLine($"BENCH nats_jspub_msgs_per_s {ours.ToString("F0", CultureInfo.InvariantCulture)} msgs/s");
            Console.WriteLine($"BENCH js_nats_jspub_msgs_per_s {theirs.ToString("F0", CultureInfo.InvariantCulture)} msgs/s");
            Console.WriteLine($"RATIO nats_jspub_vs_js {(ours / theirs).ToString("F2", CultureInfo.InvariantCulture)}");
            return 0;
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            try { Directory.Delete(store, recursive: true); }
            catch (IOException) { }
        }
    }

    private static async Task<double> PublishOursAsync(NatsJSContext js, string subject, int count)
    {
        var payload = new byte[PayloadSize];
        var futures = new Queue<NatsJSPubAckFuture>(Window * 2);
        await using var publisher = js.CreatePublisher(new NatsJSPublisherOpts { MaxAcksInFlight = Window });
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            futures.Enqueue(await publisher.PublishAsync(subject, payload, msgId: "ours:" + i.ToString(CultureInfo.InvariantCulture)));
            // Consume completed acks in order, as the ingestor does to advance its checkpoint (SPEC §5).
            while (futures.Count > Window) await futures.Dequeue();
        }
        while (futures.Count > 0) await futures.Dequeue();
        return count / watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> PublishJsAsync(string url, string subject, int count)
    {
        var script = Path.Combine(RepoRoot(), "tests", "node");
        var start = new ProcessStartInfo("node") { WorkingDirectory = script, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "jetstream-interop.mjs", "jspub", url, subject, count.ToString(CultureInfo.InvariantCulture), PayloadSize.ToString(CultureInfo.InvariantCulture), Window.ToString(CultureInfo.InvariantCulture) })
            start.ArgumentList.Add(a);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        var stdout = await process.StandardOutput.ReadToEndAsync();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"node jspub failed (npm ci --prefix tests/node?): {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        return doc.RootElement.GetProperty("msgs_per_s").GetDouble();
    }

    private static Process StartServer(int port, string store)
    {
        var binary = Environment.GetEnvironmentVariable("NATS_SERVER_BIN") is { Length: > 0 } b ? b
            : File.Exists("/usr/sbin/nats-server") ? "/usr/sbin/nats-server" : "nats-server";
        var start = new ProcessStartInfo(binary) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in new[] { "-js", "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-sd", store }) start.ArgumentList.Add(a);
        var process = Process.Start(start) ?? throw new InvalidOperationException("nats-server did not start");
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        return process;
    }

    private static async Task WaitConnectAsync(NatsConnection conn)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await conn.ConnectAsync();
                return;
            }
            catch (NatsException) when (attempt < 50)
            {
                await Task.Delay(100); // the server process is still starting
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "certstream-nats.slnx"))) return dir.FullName;
        throw new InvalidOperationException("certstream-nats.slnx not found");
    }
}
