using Certstream.EndToEnd.Tests.Harness;
using Xunit.Abstractions;

namespace Certstream.EndToEnd.Tests;

/// <summary>Issue [5] §4–5: a parser crash, and several parsers and edges sharing the work.</summary>
public sealed class ResilienceTests(ITestOutputHelper output)
{
    // A parser killed with messages in flight gets them redelivered after the consumer's ack wait.
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task A_parser_killed_mid_stream_and_restarted_loses_no_entry_for_the_client()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var pipeline = await Pipeline.StartAsync(new PipelineOptions
        {
            Simulator = new SimulatorOptions { InitialSize = 300, EntriesPerSecondPerLog = 25 },
        }, ct);
        using var client = await CertstreamListener.ConnectAsync("node lite", pipeline.Edges[0].WebSocketUri("/"), ct);
        await pipeline.StartIngestorAsync(ct);
        try
        {
            await client.WaitForCountAsync(200, DeliveryTimeout, ct);
            var parser = pipeline.Parsers[0];
            parser.Kill();
            output.WriteLine($"parser killed after {client.Count} messages");
            await parser.StartAsync(waitReady: true, ct);

            var sim = pipeline.Simulator;
            await client.WaitForEntriesAsync(sim.KeysBelow(await sim.TreeSizesAsync(ct)), DeliveryTimeout, ct);
            var served = await sim.ServedAsync(ct);
            await client.WaitForEntriesAsync(served.Keys(sim), DeliveryTimeout, ct);
            output.WriteLine($"{served.Count} served entries all received ({client.Count} messages, duplicates allowed after a crash)");
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Assert.Fail($"{e.Message}\n{pipeline.Diagnostics()}");
        }
    }

    [Fact]
    public async Task Two_parsers_and_two_edges_each_edge_delivers_every_entry_exactly_once()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        await using var pipeline = await Pipeline.StartAsync(new PipelineOptions
        {
            Parsers = 2,
            Edges = 2,
            Simulator = new SimulatorOptions { InitialSize = 300, EntriesPerSecondPerLog = 25 },
        }, ct);
        using var first = await CertstreamListener.ConnectAsync("node lite edge-0", pipeline.Edges[0].WebSocketUri("/"), ct);
        using var second = await CertstreamListener.ConnectAsync("node lite edge-1", pipeline.Edges[1].WebSocketUri("/"), ct);
        await pipeline.StartIngestorAsync(ct);
        ServedEntries served;
        try
        {
            await first.WaitForCountAsync(1, DeliveryTimeout, ct);
            var sim = pipeline.Simulator;
            var below = sim.KeysBelow(await sim.TreeSizesAsync(ct));
            await Task.WhenAll(first.WaitForEntriesAsync(below, DeliveryTimeout, ct), second.WaitForEntriesAsync(below, DeliveryTimeout, ct));
            served = await sim.ServedAsync(ct);
            var keys = served.Keys(sim);
            await Task.WhenAll(first.WaitForEntriesAsync(keys, DeliveryTimeout, ct), second.WaitForEntriesAsync(keys, DeliveryTimeout, ct));
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Assert.Fail($"{e.Message}\n{pipeline.Diagnostics()}");
            return;
        }

        foreach (var client in new[] { first, second })
        {
            var duplicates = client.Entries.Where(kv => kv.Value > 1).ToList();
            Assert.True(duplicates.Count == 0, $"{client.Name}: {duplicates.Count} entries delivered more than once, e.g. {string.Join(", ", duplicates.Take(5).Select(d => $"{d.Key} x{d.Value}"))}");
        }
        // Neither parser fell over while sharing the durable consumer.
        foreach (var parser in pipeline.Parsers)
            Assert.True(parser.Process is { HasExited: false }, $"{parser.Name} is not running\n{parser.Tail()}");
        output.WriteLine($"{served.Count} entries, each once on each edge");
    }
}
