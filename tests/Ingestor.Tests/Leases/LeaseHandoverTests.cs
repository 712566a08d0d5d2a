using Certstream.Contracts;
using Certstream.Ingestor.Logs;
using Certstream.Ingestor.Tests.Support;
using Certstream.TestSupport;
using NATS.Client.JetStream;

namespace Certstream.Ingestor.Tests.Leases;

/// <summary>Issue requirement: two ingestor instances share the logs through KV leases (README "Architecture").</summary>
public sealed class LeaseHandoverTests(NatsServerFixture nats) : IClassFixture<NatsServerFixture>
{
    [Fact]
    public async Task Each_log_is_followed_by_one_instance_and_a_dead_instances_logs_move_to_the_other_after_the_TTL()
    {
        var server = nats.Server ?? throw new InvalidOperationException("needs its own nats-server (NATS_URL is set)");
        await using var logs = await FakeCtLogServer.StartAsync();
        var run = Guid.NewGuid().ToString("N")[..6];
        var fakes = Enumerable.Range(0, 4).Select(i => logs.Add(new FakeRfc6962Log($"log{i}{run}", 300) { Cap = 64 })).ToList();
        var keys = fakes.Select(f => LogKey.FromUrl(logs.UrlOf(f))).ToList();
        var settings = TestSettings.Fast() with { AdditionalLogs = [.. fakes.Select(f => new CustomLog(logs.UrlOf(f), "Op", f.Name))] };
        await using var proxy = new TcpProxy(server.Port); // A's only way to NATS, cut to "kill" it
        await using var client = await NatsClients.ConnectAsync(nats.Url);
        var js = new NatsJSContext(client);

        await using var a = await IngestorInstance.StartAsync(proxy.Url, settings with { UserAgent = "ingestor-a" }, "a-" + run);
        await Until(() => a.Service.Leased.Count == 4, "A holds every lease");
        await using var b = await IngestorInstance.StartAsync(nats.Url, settings with { UserAgent = "ingestor-b" }, "b-" + run);
        await Until(() => b.Service.IsReady && b.Service.Followed.Count == 4, "B is up and campaigning for every log");

        var checkpoints = await RawStreamReader.WaitForBucketAsync(js);
        foreach (var key in keys) await RawStreamReader.WaitForCheckpointAsync(checkpoints, key, 300, TimeSpan.FromSeconds(30));
        Assert.Empty(b.Service.Leased);
        foreach (var fake in fakes) Assert.Equal(["ingestor-a"], EntriesFetchers(logs, fake));

        proxy.Cut();
        // A's renewals fail: it stops following; once the keys age out, B wins them.
        await Until(() => a.Service.Leased.Count == 0, "A gives its leases up");
        await Until(() => b.Service.Leased.Count == 4, "B takes every lease");
        foreach (var fake in fakes) fake.TreeSize = 500;
        foreach (var key in keys) await RawStreamReader.WaitForCheckpointAsync(checkpoints, key, 500, TimeSpan.FromSeconds(30));

        foreach (var (fake, key) in fakes.Zip(keys))
        {
            // B continued where A's checkpoint stood: no gap, no duplicate in the stream.
            RawStreamReader.AssertEveryIndexOnce(await RawStreamReader.ReadAsync(js, key), key, 500);
            Assert.Equal(["ingestor-a", "ingestor-b"], EntriesFetchers(logs, fake));
        }
    }

    private static List<string> EntriesFetchers(FakeCtLogServer logs, FakeRfc6962Log log) =>
        [.. logs.Requests.Where(r => r.Path.StartsWith($"/logs/{log.Name}/ct/v1/get-entries", StringComparison.Ordinal)).Select(r => r.UserAgent).Distinct().Order()];

    private static async Task Until(Func<bool> condition, string what)
    {
        // Bounded polling over in-memory state (leases change on a timer; there is no event to await).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("timed out waiting until " + what);
            await Task.Delay(20);
        }
    }
}
