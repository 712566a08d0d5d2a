using System.Net;
using System.Text.Json;
using Certstream.EndToEnd.Tests.Harness;
using Certstream.TestSupport;
using Xunit.Abstractions;

namespace Certstream.EndToEnd.Tests;

/// <summary>
/// Issue [12]: NATS itself fails. One nats-server killed and restarted on its port and store; a three-node cluster with
/// replicas 3 losing a node, then the node leading CT_RAW; a cluster losing its quorum. The services recover by themselves
/// (none is restarted) and every entry the simulator served reaches the clients exactly once and as served: the history
/// keeps all three streams here, so the edges read all of them from CT_HISTORY.
/// </summary>
public sealed class NatsFailoverTests(ITestOutputHelper output)
{
    private static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(120);
    private static readonly string[] AllStreams = ["full", "lite", "domains"];
    private const string RawStream = "CT_RAW";

    [Fact]
    public Task A_nats_server_killed_and_restarted_mid_stream_loses_nothing_on_any_stream() =>
        ScenarioAsync(natsNodes: 1, initialSize: 200, async (pipeline, lite, full, ct) =>
        {
            await lite.WaitForCountAsync(150, DeliveryTimeout, ct);
            pipeline.Nats.Kill();
            output.WriteLine($"nats-server killed after {lite.Count} lite messages");
            await pipeline.Nats.StartAgainAsync();
            await AssertEveryServedEntryOnceAsync(pipeline, [lite, full], ct);
        });

    [Fact]
    public Task A_three_node_cluster_loses_a_node_and_then_the_CT_RAW_leader_and_every_entry_still_arrives_once() =>
        ScenarioAsync(natsNodes: 3, initialSize: 200, async (pipeline, lite, full, ct) =>
        {
            var cluster = pipeline.Cluster!;
            Assert.Equal(3, await cluster.ReplicasOfAsync(RawStream, ct));
            Assert.Equal(3, await cluster.ReplicasOfAsync("CT_HISTORY", ct));
            Assert.Equal(3, await cluster.ReplicasOfAsync("KV_ct_checkpoints", ct));

            await lite.WaitForCountAsync(100, DeliveryTimeout, ct);
            // A node that leads nothing in particular: SIGKILL, the stream goes on, the node comes back later.
            var first = cluster.Nodes[1];
            first.Kill();
            output.WriteLine($"n1 killed after {lite.Count} lite messages");
            await lite.WaitForCountAsync(lite.Count + 100, DeliveryTimeout, ct);
            await first.StartAgainAsync();
            output.WriteLine($"n1 back after {lite.Count} lite messages");

            // Then whichever node leads CT_RAW.
            var leader = await cluster.LeaderOfAsync(RawStream, ct) ?? throw new InvalidOperationException("CT_RAW has no leader");
            var leaderNode = cluster.Node(leader);
            leaderNode.Kill();
            output.WriteLine($"{leader} (leading CT_RAW) killed after {lite.Count} lite messages");
            await lite.WaitForCountAsync(lite.Count + 100, DeliveryTimeout, ct);
            output.WriteLine($"CT_RAW now led by {await cluster.LeaderOfAsync(RawStream, ct)}");
            await leaderNode.StartAgainAsync();

            await AssertEveryServedEntryOnceAsync(pipeline, [lite, full], ct);
        });

    [Fact]
    public Task A_cluster_without_quorum_makes_the_services_say_so_and_they_resume_when_it_returns() =>
        ScenarioAsync(natsNodes: 3, initialSize: 100, async (pipeline, lite, _, ct) =>
        {
            var cluster = pipeline.Cluster!;
            await lite.WaitForCountAsync(100, DeliveryTimeout, ct);
            // Stopped, not SIGKILLed: nats-server acks a write once a quorum holds it in memory, so killing a majority at once
            // can lose acked writes (README "A NATS cluster"); two nodes an operator stops flush theirs.
            await Task.WhenAll(cluster.Nodes[1].StopAsync(TimeSpan.FromSeconds(20)), cluster.Nodes[2].StopAsync(TimeSpan.FromSeconds(20)));
            output.WriteLine($"n1 and n2 stopped after {lite.Count} lite messages");

            // The ingestor cannot have its entries acked, the parser cannot read CT_RAW: both say so on /readyz.
            foreach (var (service, says) in new[] { (pipeline.Ingestor, "publishing to CT_RAW fails"), (pipeline.Parsers[0], "on CT_RAW") })
                output.WriteLine($"{service.Name} /readyz: {await NotReadyAsync(service, says, ct)}");
            AssertNoServiceRestarted(pipeline);

            // Both back together (one alone has no quorum, so its JetStream never turns healthy).
            await Task.WhenAll(cluster.Nodes[1].StartAgainAsync(), cluster.Nodes[2].StartAgainAsync());
            await pipeline.Ingestor.WaitReadyAsync(ct);
            await pipeline.Parsers[0].WaitReadyAsync(ct);
            await AssertEveryServedEntryOnceAsync(pipeline, [lite], ct);
        });

    /// <summary>
    /// The pipeline on <paramref name="natsNodes"/> nats-servers (3: replicas 3), the history keeping every stream, a lite and a
    /// full client connected before the ingestor starts; runs <paramref name="scenario"/>, then checks no service exited.
    /// </summary>
    private static async Task ScenarioAsync(int natsNodes, int initialSize,
        Func<Pipeline, CertstreamListener, CertstreamListener, CancellationToken, Task> scenario)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var ct = cts.Token;
        await using var pipeline = await Pipeline.StartAsync(new PipelineOptions
        {
            NatsNodes = natsNodes,
            Replicas = natsNodes >= 3 ? 3 : 1,
            HistoryStreams = AllStreams,
            Simulator = new SimulatorOptions { InitialSize = initialSize, EntriesPerSecondPerLog = 25 },
            // Room for the catch-up burst after an outage: the Node clients print every message, and one that falls behind
            // its queue would have messages skipped (slow-client policy), which is not what these tests are about.
            EdgeSettings = ["client_buffer: 256MiB"],
        }, ct);
        using var lite = await CertstreamListener.ConnectAsync("node lite", pipeline.Edges[0].WebSocketUri("/"), ct);
        using var full = await CertstreamListener.ConnectAsync("node full", pipeline.Edges[0].WebSocketUri("/full-stream"), ct);
        await pipeline.StartIngestorAsync(ct);
        try
        {
            await scenario(pipeline, lite, full, ct);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException)
        {
            Assert.Fail($"{e.Message}\n{pipeline.Diagnostics()}");
        }
        AssertNoServiceRestarted(pipeline);
    }

    /// <summary>
    /// Waits for every entry the simulator served (a snapshot taken now, once the logs' current sizes arrived) on each client,
    /// then checks each came exactly once and, on the full stream, with the simulator's fields.
    /// </summary>
    private async Task AssertEveryServedEntryOnceAsync(Pipeline pipeline, CertstreamListener[] clients, CancellationToken ct)
    {
        var sim = pipeline.Simulator;
        var below = sim.KeysBelow(await sim.TreeSizesAsync(ct));
        await Task.WhenAll(clients.Select(c => c.WaitForEntriesAsync(below, DeliveryTimeout, ct)));
        var served = await sim.ServedAsync(ct);
        await Task.WhenAll(clients.Select(c => c.WaitForEntriesAsync(served.Keys(sim), DeliveryTimeout, ct)));
        output.WriteLine($"{served.Count} served entries all received");

        foreach (var client in clients)
        {
            var twice = client.Entries.Where(kv => kv.Value > 1).ToList();
            Assert.True(twice.Count == 0, $"{client.Name}: {twice.Count} entries delivered more than once, e.g. {string.Join(", ", twice.Take(5).Select(d => $"{d.Key} x{d.Value}"))}");
            Assert.Empty(client.Malformed);
        }
        if (clients.FirstOrDefault(c => c.Name.EndsWith("full", StringComparison.Ordinal)) is not { } full) return;
        var byKey = new Dictionary<(string, long), string>();
        foreach (var message in full.Messages)
        {
            using var doc = JsonDocument.Parse(message);
            var data = doc.RootElement.GetProperty("data");
            byKey[(data.GetProperty("source").GetProperty("url").GetString()!, data.GetProperty("cert_index").GetInt64())] = message;
        }
        var problems = new List<string>();
        foreach (var (log, entry) in served.All)
        {
            var simLog = sim.LogByName(log);
            using var doc = JsonDocument.Parse(byKey[(simLog.SourceUrl, entry.Index)]);
            problems.AddRange(EntryExpectations.Compare(doc.RootElement, simLog, entry, full: true));
        }
        Assert.True(problems.Count == 0, $"{problems.Count} differences, first ones:\n{string.Join('\n', problems.Take(20))}");
    }

    private static void AssertNoServiceRestarted(Pipeline pipeline)
    {
        foreach (var service in pipeline.Parsers.Concat(pipeline.Edges).Append(pipeline.Ingestor))
            Assert.False(service.Process.HasExited, $"{service.Name} exited\n{service.Tail()}");
    }

    /// <summary>Polls /readyz until it answers 503 with a reason holding <paramref name="says"/>; returns the body.</summary>
    private static async Task<string> NotReadyAsync(PipelineService service, string says, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        var last = "";
        while (DateTime.UtcNow < deadline)
        {
            if (await service.StatusAsync("/readyz", ct) == HttpStatusCode.ServiceUnavailable)
            {
                last = await ReadyzBodyAsync(service, ct);
                if (last.Contains(says, StringComparison.Ordinal)) return last;
            }
            await Task.Delay(200, ct);
        }
        throw new TimeoutException($"{service.Name} did not say \"{says}\" on /readyz with the quorum lost (last: {last})\n{service.Tail()}");
    }

    private static async Task<string> ReadyzBodyAsync(PipelineService service, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var response = await http.GetAsync(service.HttpUri("/readyz"), ct);
        return await response.Content.ReadAsStringAsync(ct);
    }
}
