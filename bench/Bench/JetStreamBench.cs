using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Certstream.Nats;
using Certstream.Nats.JetStream;
using Certstream.Nats.JetStream.Models;
using Certstream.TestSupport;

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
        await using var server = await BenchNatsServer.StartAsync(jetStream: true, CancellationToken.None);
        var url = server.Url;
        await using var conn = new NatsConnection(new NatsOpts { Url = url, Name = "bench" });
        await conn.ConnectAsync();
        var js = new NatsJSContext(conn);
        await js.CreateStreamAsync(new StreamConfig("BENCH_OURS", "bench.ours.>") { DuplicateWindow = TimeSpan.FromMinutes(10) });
        await js.CreateStreamAsync(new StreamConfig("BENCH_JS", "bench.js.>") { DuplicateWindow = TimeSpan.FromMinutes(10) });

        await PublishOursAsync(js, "bench.ours.warmup", Math.Min(10_000, count));
        var ours = await PublishOursAsync(js, "bench.ours.x", count);
        var theirs = await PublishJsAsync(url, "bench.js.x", count);

        BenchOutput.Figure("nats_jspub_msgs_per_s", ours, "msgs/s");
        BenchOutput.Figure("js_nats_jspub_msgs_per_s", theirs, "msgs/s");
        BenchOutput.Ratio("nats_jspub_vs_js", ours / theirs);
        return 0;
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
        NodeScripts.RequirePackage("@nats-io/jetstream");
        var output = await NodeScripts.RunAsync("jetstream-interop.mjs", ["jspub", url, subject, count.ToString(CultureInfo.InvariantCulture),
            PayloadSize.ToString(CultureInfo.InvariantCulture), Window.ToString(CultureInfo.InvariantCulture)]);
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.GetProperty("msgs_per_s").GetDouble();
    }
}
