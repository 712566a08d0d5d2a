using Certstream.Contracts;
using Certstream.Ingestor.Logs;
using Certstream.Ingestor.Tests.Support;
using Certstream.TestSupport;
using NATS.Client.JetStream;

namespace Certstream.Ingestor.Tests.Service;

/// <summary>Issue requirement: the whole ingestor (CT side + JetStream + KV) stores every entry of every log exactly once.</summary>
public sealed class ExactlyOnceTests(NatsServerFixture nats) : IClassFixture<NatsServerFixture>
{
    [Fact]
    public async Task Every_index_of_every_log_lands_in_CT_RAW_once_with_the_served_bytes_despite_5_percent_faults()
    {
        await using var logs = await FakeCtLogServer.StartAsync();
        var run = Guid.NewGuid().ToString("N")[..6];
        var argon = logs.Add(new FakeRfc6962Log("argon" + run, 2500) { Cap = 64, FaultRate = 0.05 });
        var xenon = logs.Add(new FakeRfc6962Log("xenon" + run, 1700) { Cap = 32, Aligned = false, FaultRate = 0.05 });
        var navigli = logs.Add(new FakeTiledLog("navigli" + run, 1024) { Gzip = true });
        // ~100 requests at 5 % serve no fault at all about once in a hundred runs: one of each kind is scripted as well.
        foreach (var fault in new[] { Fault.Http(500), Fault.Http(429, "0"), new Fault(FaultKind.TruncatedJson), new Fault(FaultKind.MalformedEntry) })
            (fault.Kind == FaultKind.TruncatedJson ? xenon : argon).EntriesFaults.Enqueue(fault);
        var settings = TestSettings.Fast() with
        {
            AdditionalLogs = [new CustomLog(logs.UrlOf(argon), "Google", "Argon"), new CustomLog(logs.UrlOf(xenon), "Google", "Xenon")],
            AdditionalTiledLogs = [new CustomLog(logs.UrlOf(navigli), "Cloudflare", "Navigli")],
        };
        var tuning = IngestorInstance.TuningFor(settings, "exactly-once-" + run) with { TileLeaves = new SyntheticIssuerConverter() };

        await using var client = await NatsClients.ConnectAsync(nats.Url);
        var js = new NatsJSContext(client);
        await using (var ingestor = await IngestorInstance.StartAsync(nats.Url, tuning))
        {
            var checkpoints = await RawStreamReader.WaitForBucketAsync(js);
            foreach (var (url, size) in new[] { (logs.UrlOf(argon), 2500UL), (logs.UrlOf(xenon), 1700UL), (logs.UrlOf(navigli), 1024UL) })
                await RawStreamReader.WaitForCheckpointAsync(checkpoints, LogKey.FromUrl(url), size, TimeSpan.FromSeconds(60));
        }

        // Faults were really served, and answered by retries.
        Assert.Contains(argon.EntriesRequests.Concat(xenon.EntriesRequests), r => r.Served != "ok");

        foreach (var (log, size) in new[] { (argon, 2500UL), (xenon, 1700UL) })
        {
            var key = LogKey.FromUrl(logs.UrlOf(log));
            var stored = await RawStreamReader.ReadAsync(js, key);
            RawStreamReader.AssertEveryIndexOnce(stored, key, size);
            foreach (var s in stored)
            {
                Assert.Equal(FakeRfc6962Log.LeafFor(s.Entry.Index), s.Entry.LeafInput.ToArray());
                Assert.Equal(FakeRfc6962Log.ExtraData, s.Entry.ExtraData.ToArray());
                Assert.Equal(LogType.Rfc6962, s.Entry.Type);
                Assert.Equal(logs.UrlOf(log), s.Entry.Url);
                Assert.Equal("Google", s.Entry.Operator);
            }
        }

        var tiledKey = LogKey.FromUrl(logs.UrlOf(navigli));
        var tiled = await RawStreamReader.ReadAsync(js, tiledKey);
        RawStreamReader.AssertEveryIndexOnce(tiled, tiledKey, 1024);
        var expected = SyntheticIssuerConverter.Expected(navigli);
        foreach (var s in tiled)
        {
            var index = (int)s.Entry.Index;
            // The log's own Merkle leaf hash proves leaf_input is the entry the log committed to.
            Assert.Equal(LevelZeroHashes.Of(index).ToArray(), LevelZeroHashes.LeafHash(s.Entry.LeafInput.Span));
            Assert.Equal(expected[index].ExtraData.ToArray(), s.Entry.ExtraData.ToArray());
            Assert.Equal(LogType.Tiled, s.Entry.Type);
            Assert.Equal("Navigli", s.Entry.Name);
        }
    }
}
