using System.Text.Json;
using Certstream.Contracts;
using Certstream.Ingestor.Logs;
using Certstream.Ingestor.Tests.Support;
using Certstream.TestSupport;
using NATS.Client.JetStream;

namespace Certstream.Ingestor.Tests.Service;

/// <summary>README "NATS subjects" is a public contract: a third party with the official NATS JS client and @msgpack/msgpack reads CT_RAW.</summary>
public sealed class NodeConsumerTests(NatsServerFixture nats) : IClassFixture<NatsServerFixture>
{
    [Fact]
    public async Task A_JavaScript_consumer_reads_and_decodes_the_entries_the_ingestor_stored()
    {
        await using var logs = await FakeCtLogServer.StartAsync();
        var log = logs.Add(new FakeRfc6962Log("node" + Guid.NewGuid().ToString("N")[..6], 40));
        var key = LogKey.FromUrl(logs.UrlOf(log));
        var settings = TestSettings.Fast() with { AdditionalLogs = [new CustomLog(logs.UrlOf(log), "Node operator", "Node log")] };
        await using (var ingestor = await IngestorInstance.StartAsync(nats.Url, settings, "node"))
        {
            await using var client = await NatsClients.ConnectAsync(nats.Url);
            var checkpoints = await RawStreamReader.WaitForBucketAsync(new NatsJSContext(client));
            await RawStreamReader.WaitForCheckpointAsync(checkpoints, key, 40, TimeSpan.FromSeconds(30));
        }

        var lines = await RunNodeAsync(nats.Url, Subjects.Raw(key), 40);
        Assert.Equal(40, lines.Count);
        var indices = new List<ulong>();
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            var e = json.RootElement;
            var index = ulong.Parse(e.GetProperty("index").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            indices.Add(index);
            Assert.Equal(Subjects.Raw(key), e.GetProperty("subject").GetString());
            Assert.Equal(MessageHeaders.MessageIdFor(key, index), e.GetProperty("msgId").GetString());
            Assert.Equal(1, e.GetProperty("v").GetInt32());
            Assert.Equal(key, e.GetProperty("log").GetString());
            Assert.Equal(logs.UrlOf(log), e.GetProperty("url").GetString());
            Assert.Equal("Node log", e.GetProperty("name").GetString());
            Assert.Equal("Node operator", e.GetProperty("operator").GetString());
            Assert.Equal("rfc6962", e.GetProperty("type").GetString());
            Assert.Equal(Convert.ToBase64String(FakeRfc6962Log.LeafFor(index)), e.GetProperty("leaf_input").GetString());
            Assert.Equal(Convert.ToBase64String(FakeRfc6962Log.ExtraData), e.GetProperty("extra_data").GetString());
            Assert.InRange(e.GetProperty("fetched_at").GetDouble(), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        }
        Assert.Equal(Enumerable.Range(0, 40).Select(i => (ulong)i), indices.Order());
    }

private static async Task<List<string>> RunNodeAsync(string url, string subject, int count)
    {
        NodeScripts.RequirePackage("@nats-io/jetstream");
        var output = await NodeScripts.RunAsync("ct-raw-consumer.mjs", [url, subject, count.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        return [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
