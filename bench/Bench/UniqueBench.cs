using System.Diagnostics;
using System.Net.WebSockets;
using Certstream.EndToEnd.Tests.Harness;
using Certstream.TestSupport;

namespace Certstream.Bench;

/// <summary>
/// Unique certificates (README "Unique certificates"): the whole pipeline with the simulator logging 30 % of its entries
/// as copies of a certificate another log holds (each certificate in at most three logs), a lite client and a
/// <c>unique=true</c> client side by side. Figures: the share of the lite stream the unique stream leaves out, and the
/// parser's repeats over the certificates it handled.
/// </summary>
internal static class UniqueBench
{
    private const double CrossLogRatio = 0.3;

    public static async Task<int> RunAsync(ServiceBinarySet binaries, TimeSpan window)
    {
        using var cts = new CancellationTokenSource(window + TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        await using var pipeline = await Pipeline.StartAsync(new PipelineOptions
        {
            Binaries = binaries,
            Simulator = new SimulatorOptions { Rfc6962Logs = 3, TiledLogs = 0, InitialSize = 1, EntriesPerSecondPerLog = 200, BatchCaps = "1024", CrossLogRatio = CrossLogRatio },
        }, ct);
        var edge = pipeline.Edges[0];
        using var lite = new ClientWebSocket();
        using var unique = new ClientWebSocket();
        await lite.ConnectAsync(edge.WebSocketUri("/"), ct);
        await unique.ConnectAsync(edge.WebSocketUri("/?unique=true"), ct);
        long liteCount = 0, uniqueCount = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var readers = new[]
        {
            WebSocketReader.RunAsync(lite, _ => Interlocked.Increment(ref liteCount), stop.Token),
            WebSocketReader.RunAsync(unique, _ => Interlocked.Increment(ref uniqueCount), stop.Token),
        };
        try
        {
            await pipeline.StartIngestorAsync(ct);
            await Task.Delay(window, ct); // the measured window: the pipeline runs at its own pace meanwhile
            // Let what is in flight arrive: until the lite count stops moving.
            long last;
            var settle = Stopwatch.StartNew();
            do
            {
                last = Interlocked.Read(ref liteCount);
                await Task.Delay(500, ct);
            }
            while (Interlocked.Read(ref liteCount) != last && settle.Elapsed < TimeSpan.FromSeconds(30));
            var repeats = await EdgeProbe.MetricAsync(pipeline.Parsers[0], "certstream_parser_repeats_total", ct);
            var certificates = await EdgeProbe.MetricSumAsync(pipeline.Parsers[0], "certstream_parser_entries_total", "result=\"ok\"", ct);
            await stop.CancelAsync();
            await Task.WhenAll(readers);
            if (liteCount == 0)
            {
                Console.Error.WriteLine("bench unique: no messages\n" + pipeline.Diagnostics());
                return 1;
            }
            BenchOutput.Figure("unique_lite_messages", liteCount, "msgs");
            BenchOutput.Figure("unique_messages", uniqueCount, "msgs");
            BenchOutput.Figure("unique_removed_pct", 100.0 * (liteCount - uniqueCount) / liteCount, "%", "F1");
            BenchOutput.Figure("unique_parser_repeats_pct", 100.0 * repeats / certificates, "%", "F1");
            return 0;
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or WebSocketException or HttpRequestException)
        {
            Console.Error.WriteLine($"bench unique: {e.Message}\n{pipeline.Diagnostics()}");
            return 1;
        }
    }
}
