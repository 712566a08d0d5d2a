using Certstream.Contracts;
using Certstream.Ingestor.Tests.Support;
using Certstream.TestSupport;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace Certstream.Ingestor.Tests.Service;

/// <summary>The ingestor as a real process: crash and restart, and start-up without NATS.</summary>
// Runs the service executables: scripts/test.sh repeats this category against the Native AOT builds.
[Trait("Category", "ServiceProcess")]
public sealed class IngestorProcessTests : IAsyncLifetime
{
    private readonly string _configPath = Path.Combine(Path.GetTempPath(), "certstream-ingestor-test-" + Guid.NewGuid().ToString("N") + ".yaml");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        _http.Dispose();
        File.Delete(_configPath);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_SIGKILLed_ingestor_resumes_from_its_KV_checkpoint_and_the_stream_holds_every_index_once()
    {
        await using var nats = await NatsServer.StartAsync();
        await using var logs = await FakeCtLogServer.StartAsync();
        const ulong size = 12_000;
        // Paced (about 4,000 entries/s) so the kill lands mid-stream, after the first checkpoint save.
        var log = logs.Add(new FakeRfc6962Log("argon", size) { Cap = 50, EntriesDelay = TimeSpan.FromMilliseconds(25) });
        var key = LogKey.FromUrl(logs.UrlOf(log));
        await using var client = await ConnectAsync(nats.Url);
        var js = new NatsJSContext(client);

        Checkpoint atKill;
        var first = await StartAsync(nats.Url, logs.UrlOf(log));
        using (first)
        {
            await first.WaitForReadyzAsync(_http, 200, TimeSpan.FromSeconds(30));
            var checkpoints = await RawStreamReader.WaitForBucketAsync(js);
            await RawStreamReader.WaitForCheckpointAsync(checkpoints, key, 1, TimeSpan.FromSeconds(30));
            first.Process.Kill();
            atKill = (await RawStreamReader.CheckpointAsync(checkpoints, key))!;
        }
        Assert.InRange(atKill.NextIndex, 1UL, size - 1);
        var servedBeforeRestart = log.EntriesRequests.Count;
        // What was fetched (and maybe stored) beyond the checkpoint is the tail the restart fetches again.
        var fetchedBeyond = log.EntriesRequests.Max(r => r.End);
        Assert.True(fetchedBeyond >= atKill.NextIndex);

        using (first.StartAgain()) // same config and metrics port
        {
            var checkpoints = await new NatsKVContext(js).GetStoreAsync(JetStreamNames.CheckpointsBucket);
            await RawStreamReader.WaitForCheckpointAsync(checkpoints, key, size, TimeSpan.FromSeconds(60));
        }

        // The restart began exactly at the checkpoint: no gap, nothing skipped.
        var resumed = log.EntriesRequests.Skip(servedBeforeRestart).Min(r => r.Start);
        Assert.Equal(atKill.NextIndex, resumed);
        var stored = await RawStreamReader.ReadAsync(js, key);
        RawStreamReader.AssertEveryIndexOnce(stored, key, size);
        Assert.All(stored, s => Assert.Equal(FakeRfc6962Log.LeafFor(s.Entry.Index), s.Entry.LeafInput.ToArray()));
    }

    [Fact]
    public async Task On_SIGTERM_the_ingestor_saves_its_acked_checkpoint_releases_its_lease_and_exits_0()
    {
        await using var nats = await NatsServer.StartAsync();
        await using var logs = await FakeCtLogServer.StartAsync();
        const ulong size = 50_000;
        var log = logs.Add(new FakeRfc6962Log("sigterm", size) { Cap = 50, EntriesDelay = TimeSpan.FromMilliseconds(25) });
        var key = LogKey.FromUrl(logs.UrlOf(log));
        await using var client = await ConnectAsync(nats.Url);
        var js = new NatsJSContext(client);

        using var ingestor = await StartAsync(nats.Url, logs.UrlOf(log));
        await ingestor.WaitForReadyzAsync(_http, 200, TimeSpan.FromSeconds(30));
        var checkpoints = await RawStreamReader.WaitForBucketAsync(js);
        await RawStreamReader.WaitForCheckpointAsync(checkpoints, key, 1, TimeSpan.FromSeconds(30));
        Assert.Equal(0, await ingestor.Process.TerminateAsync(TimeSpan.FromSeconds(30)));

        var checkpoint = (await RawStreamReader.CheckpointAsync(checkpoints, key))!;
        var stored = (await RawStreamReader.ReadAsync(js, key)).Select(s => s.Entry.Index).ToList();
        Assert.Equal(stored.Count, stored.Distinct().Count());
        // The shutdown saved the acked prefix: everything below it is stored, and beyond it lie at most the ranges that
        // were in flight at SIGTERM, which a restart publishes again (deduped). A range is planned before the log's cap
        // is learned with the first request size (MaxBatch, 1024), so up to parallel_fetch (2) × 1024 entries can sit
        // acked beyond a gap that a cancelled range left below them.
        Assert.All(Enumerable.Range(0, (int)checkpoint.NextIndex), i => Assert.Contains((ulong)i, stored));
        Assert.InRange((ulong)stored.Count - checkpoint.NextIndex, 0UL, 2UL * (ulong)new IngestorSettings().MaxBatch);
        var leases = await new NatsKVContext(js).GetStoreAsync(JetStreamNames.LeasesBucket);
        Assert.False((await leases.TryGetEntryAsync<byte[]>(key)).Success); // released, so another replica need not wait for the TTL
        Assert.Contains("lease released", ingestor.Process.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_NATS_unreachable_the_ingestor_is_not_ready_and_keeps_trying_then_becomes_ready_and_publishes()
    {
        await using var nats = await NatsServer.StartAsync();
        nats.Kill(); // Its port is now closed: the ingestor starts against an unreachable NATS.
        await using var logs = await FakeCtLogServer.StartAsync();
        var log = logs.Add(new FakeRfc6962Log("xenon", 300));
        var key = LogKey.FromUrl(logs.UrlOf(log));

        using var ingestor = await StartAsync(nats.Url, logs.UrlOf(log));
        await ingestor.WaitForReadyzAsync(_http, 503, TimeSpan.FromSeconds(30));
        // Several connect attempts later it is still up and still not ready. The connector logs once per change of error,
        // then retries after 0.25, 0.5, 1, 2 s …: 4 s after its first warning it has made several attempts.
        await ingestor.Process.WaitForLineAsync(l => l.Contains("cannot connect to NATS", StringComparison.Ordinal), TimeSpan.FromSeconds(20), CancellationToken.None);
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.False(ingestor.Process.HasExited);
        Assert.Equal(503, await ingestor.ReadyzAsync(_http));
        Assert.Empty(log.EntriesRequests); // nothing is fetched that could not be published

        await nats.StartAgainAsync();
        await ingestor.WaitForReadyzAsync(_http, 200, TimeSpan.FromSeconds(30));
        await using var client = await ConnectAsync(nats.Url);
        var js = new NatsJSContext(client);
        var checkpoints = await RawStreamReader.WaitForBucketAsync(js);
        await RawStreamReader.WaitForCheckpointAsync(checkpoints, key, 300, TimeSpan.FromSeconds(30));
        RawStreamReader.AssertEveryIndexOnce(await RawStreamReader.ReadAsync(js, key), key, 300);
    }

    /// <summary>Writes the config for one log and a free metrics port, and starts the ingestor on it.</summary>
    private async Task<IngestorProcess> StartAsync(string natsUrl, string logUrl)
    {
        var port = FreePort.Next();
        await File.WriteAllTextAsync(_configPath, IngestorProcess.Config(natsUrl, logUrl, port));
        return IngestorProcess.Start(_configPath, port);
    }

    private static Task<NatsConnection> ConnectAsync(string url) => NatsClients.ConnectAsync(url);
}
