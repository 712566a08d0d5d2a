using System.Net.WebSockets;
using Certstream.EndToEnd.Tests.Harness;
using Certstream.TestSupport;

namespace Certstream.Bench;

/// <summary>
/// Memory after a crowd leaves (README "Memory"): the edge's resident memory before 1,500 WebSocket clients connect, while
/// they are connected and have each read a burst of messages, and after they have all gone and the edge has had time to
/// give memory back (its trimmer looks every 5 s). RATIO: after over before (goal: within 1.10).
/// </summary>
internal static class CrowdBench
{
    private const int Clients = 1500;
    private const int Messages = 200;
    private const string Subject = "certstream.lite.bench_example_com_log";

    public static async Task<int> RunAsync(ServiceBinarySet binaries, string suffix = "")
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var nats = await NatsServer.StartAsync();
        var dir = Directory.CreateTempSubdirectory("certstream-bench-crowd-");
        using var edge = BenchEdge.Create(binaries, nats.Url, dir);
        var sockets = new List<ClientWebSocket>();
        var readers = new List<Task>();
        using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            await edge.StartAsync(waitReady: true, ct);
            await Task.Delay(TimeSpan.FromSeconds(2), ct); // start-up work settles before the first reading
            var before = ProcStatus.ResidentBytes(edge.Process.Id);
            long received = 0;
            for (var i = 0; i < Clients; i++)
            {
                var socket = new ClientWebSocket();
                await socket.ConnectAsync(edge.WebSocketUri("/"), ct);
                sockets.Add(socket);
                readers.Add(Task.Run(() => WebSocketReader.RunAsync(socket, _ => Interlocked.Increment(ref received), stopReading.Token), ct));
            }
            await EdgeProbe.EventuallyAsync(() => EdgeProbe.ClientsAsync(edge, ct), n => n == Clients, TimeSpan.FromSeconds(60), "clients connected", ct);
            await using (var publisher = await NatsClients.ConnectAsync(nats.Url, "bench-crowd"))
            {
                var payload = EdgeFanoutBench.LiteMessage();
                for (var i = 0; i < Messages; i++) await publisher.PublishAsync(Subject, payload, cancellationToken: ct);
                await publisher.PingAsync(ct);
            }
            await EdgeProbe.EventuallyAsync(() => Task.FromResult(Interlocked.Read(ref received)), n => n >= (long)Clients * Messages,
                TimeSpan.FromSeconds(60), "every client read every message", ct);
            var crowd = ProcStatus.ResidentBytes(edge.Process.Id);

            foreach (var socket in sockets) await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, ct);
            await EdgeProbe.EventuallyAsync(() => EdgeProbe.ClientsAsync(edge, ct), n => n == 0, TimeSpan.FromSeconds(60), "clients gone", ct);
            // The trimmer looks every 5 s; give it a few looks, and stop early once memory is back.
            var after = await EdgeProbe.EventuallyAsync(() => Task.FromResult(ProcStatus.ResidentBytes(edge.Process.Id)),
                rss => rss <= before * 1.10, TimeSpan.FromSeconds(60), "memory back", ct).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : ProcStatus.ResidentBytes(edge.Process.Id), TaskScheduler.Default);

            var heap = await EdgeProbe.MetricAsync(edge, "dotnet_total_memory_bytes", ct);
            if (Environment.GetEnvironmentVariable("BENCH_CROWD_GCDUMP") is { Length: > 0 } dump)
            {
                using var gcdump = System.Diagnostics.Process.Start("dotnet-gcdump", ["collect", "-p", edge.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "-o", dump]);
                await gcdump!.WaitForExitAsync(ct);
            }
            BenchOutput.Figure("edge_crowd_gc_heap_mb_after", heap / 1048576.0, "MiB", "F1");
            BenchOutput.Figure("edge_crowd_rss_mb_before", before / 1048576.0, "MiB", "F1");
            BenchOutput.Figure($"edge_crowd_rss_mb_{Clients}_clients", crowd / 1048576.0, "MiB", "F1");
            BenchOutput.Figure("edge_crowd_rss_mb_after", after / 1048576.0, "MiB", "F1");
            BenchOutput.Ratio("edge_crowd_rss_after_vs_before", after / (double)before);
            return 0;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or WebSocketException or HttpRequestException)
        {
            Console.Error.WriteLine($"bench crowd: {e.Message}\n{edge.Tail()}");
            return 1;
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
}
