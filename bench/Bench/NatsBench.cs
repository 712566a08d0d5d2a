using System.Diagnostics;
using System.Globalization;
using Certstream.Nats;
using Certstream.TestSupport;

namespace Certstream.Bench;

/// <summary>
/// `dotnet run -c Release --project bench/Bench -- nats`: core publish and pub/sub throughput of our client against a
/// nats-server it starts itself, the same publish measured with the official nats.js client, and allocations per publish.
/// </summary>
internal static class NatsBench
{
    public static async Task RunAsync(CancellationToken cancellationToken)
    {
        await using var server = await BenchNatsServer.StartAsync(jetStream: false, cancellationToken);
        var url = server.Url;

        var pub128 = await PublishRateAsync(url, 128, 2_000_000, cancellationToken);
        BenchOutput.Figure("nats_pub_128b_msgs_per_s", pub128, "msgs/s");
        BenchOutput.Figure("nats_pub_1k_msgs_per_s", await PublishRateAsync(url, 1024, 1_000_000, cancellationToken), "msgs/s");
        BenchOutput.Figure("nats_pubsub_msgs_per_s", await PubSubRateAsync(url, 128, 1_000_000, cancellationToken), "msgs/s");
        BenchOutput.Figure("nats_pub_alloc_bytes_per_msg", await AllocationsPerPublishAsync(url, cancellationToken), "B", "F2");

        var js128 = await JsPublishRateAsync(url, 128, 2_000_000, cancellationToken);
        if (js128 > 0)
        {
            BenchOutput.Figure("js_nats_pub_128b_msgs_per_s", js128, "msgs/s");
            BenchOutput.Ratio("nats_pub_vs_js", pub128 / js128);
        }
    }

    private static async Task<double> PublishRateAsync(string url, int size, int count, CancellationToken cancellationToken)
    {
        await using var conn = new NatsConnection(new NatsOpts { Url = url, Name = "bench-pub" });
        await conn.ConnectAsync(cancellationToken);
        var payload = new byte[size];
        await PublishManyAsync(conn, "bench.warm", payload, 100_000, cancellationToken);
        await conn.FlushAsync(cancellationToken);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var sw = Stopwatch.StartNew();
        await PublishManyAsync(conn, "bench.pub", payload, count, cancellationToken);
        await conn.FlushAsync(cancellationToken); // counted: the server has processed every message
        var rate = count / sw.Elapsed.TotalSeconds;
        // Whole process, all threads (send loop, back-pressure waits, timers), for the same run.
        BenchOutput.Figure(FormattableString.Invariant($"nats_pub_{size}b_process_alloc_bytes_per_msg"),
            (double)(GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore) / count, "B", "F2");
        return rate;
    }

    private static async Task PublishManyAsync(NatsConnection conn, string subject, ReadOnlyMemory<byte> payload, int count, CancellationToken cancellationToken)
    {
        for (var i = 0; i < count; i++)
        {
            var pending = conn.PublishAsync(subject, payload, cancellationToken: cancellationToken);
            if (!pending.IsCompletedSuccessfully) await pending;
        }
    }

    private static async Task<double> PubSubRateAsync(string url, int size, int count, CancellationToken cancellationToken)
    {
        await using var subConn = new NatsConnection(new NatsOpts { Url = url, Name = "bench-sub", SubPendingMsgsLimit = count, SubPendingBytesLimit = long.MaxValue });
        await using var pubConn = new NatsConnection(new NatsOpts { Url = url, Name = "bench-pub" });
        await subConn.ConnectAsync(cancellationToken);
        await pubConn.ConnectAsync(cancellationToken);
        await using var sub = await subConn.SubscribeAsync("bench.pubsub", cancellationToken: cancellationToken);
        await subConn.FlushAsync(cancellationToken);
        var payload = new byte[size];
        var sw = Stopwatch.StartNew();
        var consumer = Task.Run(async () =>
        {
            var n = 0;
            while (n < count && await sub.Msgs.WaitToReadAsync(cancellationToken))
                while (n < count && sub.Msgs.TryRead(out _)) n++;
        }, cancellationToken);
        await PublishManyAsync(pubConn, "bench.pubsub", payload, count, cancellationToken);
        await pubConn.FlushAsync(cancellationToken);
        await consumer;
        var rate = count / sw.Elapsed.TotalSeconds;
        if (sub.DroppedCount > 0) Console.WriteLine($"# pubsub dropped {sub.DroppedCount}");
        return rate;
    }

    // Bytes allocated by the publishing thread per core publish (fast path, below the write-buffer mark).
    private static async Task<double> AllocationsPerPublishAsync(string url, CancellationToken cancellationToken)
    {
        await using var conn = new NatsConnection(new NatsOpts { Url = url, Name = "bench-alloc" });
        await conn.ConnectAsync(cancellationToken);
        var payload = new byte[128];
        const string subject = "bench.alloc";
        await PublishManyAsync(conn, subject, payload, 10_000, cancellationToken);
        await conn.FlushAsync(cancellationToken);
        long allocated = 0, published = 0;
        // The first rounds grow the two write buffers to their working size (a one-time cost); measure after them.
        for (var round = -5; round < 50; round++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 5_000; i++)
            {
                var pending = conn.PublishAsync(subject, payload, cancellationToken: cancellationToken);
                if (!pending.IsCompletedSuccessfully) throw new InvalidOperationException("allocation run must stay on the fast path");
            }
            var delta = GC.GetAllocatedBytesForCurrentThread() - before;
            if (Environment.GetEnvironmentVariable("BENCH_DEBUG") == "1") Console.WriteLine($"# round {round}: {delta} B");
            await conn.FlushAsync(cancellationToken);
            if (round < 0) continue;
            allocated += delta;
            published += 5_000;
        }
        return (double)allocated / published;
    }

    private static async Task<double> JsPublishRateAsync(string url, int size, int count, CancellationToken cancellationToken)
    {
        var nodeDir = NodeScripts.Directory;
        if (!Directory.Exists(Path.Combine(nodeDir, "node_modules")))
        {
            Console.WriteLine("# js client skipped: tests/node/node_modules missing (run npm ci --prefix tests/node)");
            return 0;
        }
        var psi = new ProcessStartInfo("node") { WorkingDirectory = nodeDir, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "bench-pub.mjs", url, count.ToString(CultureInfo.InvariantCulture), size.ToString(CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(a);
        using var node = Process.Start(psi)!;
        var output = await node.StandardOutput.ReadToEndAsync(cancellationToken);
        await node.WaitForExitAsync(cancellationToken);
        return double.TryParse(output.Trim(), CultureInfo.InvariantCulture, out var rate) ? rate : 0;
    }
}
