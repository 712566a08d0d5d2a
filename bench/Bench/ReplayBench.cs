using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using Certstream.Contracts;
using Certstream.EndToEnd.Tests.Harness;
using Certstream.TestSupport;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Certstream.Bench;

/// <summary>
/// Resume (README "Resume"): CT_HISTORY filled with an hour of lite messages at 1,000 certificates/s (3.6 M messages;
/// <c>BENCH_REPLAY_SECONDS</c> sets a shorter history), then one client connects with <c>since</c> at the start of it and
/// reads as fast as it can. Figures: messages/s replayed to the client, and the edge's CPU seconds per 1,000 replayed.
/// </summary>
internal static class ReplayBench
{
    private const string Log = "bench_example_com_log";
    private const int EntriesPerSecond = 1000;
    private const int PublishChunk = 20_000;

    public static async Task<int> RunAsync(ServiceBinarySet binaries)
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("BENCH_REPLAY_SECONDS"), CultureInfo.InvariantCulture, out var s) && s > 0 ? s : 3600;
        var total = (long)seconds * EntriesPerSecond;
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        var ct = cts.Token;
        await using var nats = await NatsServer.StartAsync();
        var dir = Directory.CreateTempSubdirectory("certstream-bench-replay-");
        using var edge = BenchEdge.Create(binaries, nats.Url, dir);
        using var socket = new ClientWebSocket();
        try
        {
            await using var publisher = await NatsClients.ConnectAsync(nats.Url, "bench-replay");
            var js = new NatsJSContext(publisher);
            await js.CreateStreamAsync(JetStreamConfigs.HistoryStream(["lite", "domains"], TimeSpan.FromHours(2), 16L << 30), ct);
            var since = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;
            var fill = Stopwatch.StartNew();
            var payload = EdgeFanoutBench.LiteMessage();
            for (long published = 0; published < total;)
            {
                var chunk = Math.Min(PublishChunk, total - published);
                for (var i = 0; i < chunk; i++, published++)
                {
                    var headers = new NatsHeaders
                    {
                        [FilterHeaders.Type] = FilterHeaders.X509,
                        [FilterHeaders.Source] = "https://ct.example.com/logs/bench",
                        [FilterHeaders.Domains] = "www.example.com,example.com,mail.example.com,api.example.com",
                        [FilterHeaders.Seen] = (since + published / (double)EntriesPerSecond).ToString("R", CultureInfo.InvariantCulture),
                    };
                    await publisher.PublishAsync($"certstream.lite.{Log}", payload, headers, cancellationToken: ct);
                }
                // Core publishes are stored asynchronously: let the stream catch up before the next chunk.
                await EdgeProbe.EventuallyAsync(async () => (await js.GetStreamAsync(JetStreamNames.HistoryStream, cancellationToken: ct)).Info.State.Messages,
                    stored => stored >= published, TimeSpan.FromMinutes(2), "CT_HISTORY to store the published messages", ct);
            }
            var fillSeconds = fill.Elapsed.TotalSeconds;

            await edge.StartAsync(waitReady: true, ct);
            var cpuBefore = await EdgeProbe.MetricAsync(edge, "process_cpu_seconds_total", ct);
            long received = 0;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var clock = Stopwatch.StartNew();
            await socket.ConnectAsync(edge.WebSocketUri("/?since=" + since.ToString("R", CultureInfo.InvariantCulture)), ct);
            using var stopReading = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var reading = WebSocketReader.RunAsync(socket, _ =>
            {
                if (++received == total) done.TrySetResult();
            }, stopReading.Token);
            await done.Task.WaitAsync(TimeSpan.FromMinutes(10), ct);
            var elapsed = clock.Elapsed.TotalSeconds;
            var cpuAfter = await EdgeProbe.MetricAsync(edge, "process_cpu_seconds_total", ct);
            await stopReading.CancelAsync();
            await reading;

            BenchOutput.Figure("replay_history_messages", total, "msgs");
            BenchOutput.Figure("replay_history_fill_s", fillSeconds, "s", "F1");
            BenchOutput.Figure("replay_msgs_per_s", total / elapsed, "msgs/s");
            BenchOutput.Figure("replay_edge_cpu_ms_per_1000", (cpuAfter - cpuBefore) * 1000 / (total / 1000.0), "ms", "F2");
            return 0;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or WebSocketException or HttpRequestException or NatsException)
        {
            Console.Error.WriteLine($"bench replay: {e.Message}\n{edge.Tail()}");
            return 1;
        }
        finally
        {
            socket.Abort();
            edge.Dispose();
            dir.Delete(recursive: true);
        }
    }
}
