using Certstream.Contracts;
using Certstream.Ingestor.Tests.Support;
using Certstream.TestSupport;
using Microsoft.Extensions.Logging;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace Certstream.Ingestor.Tests.Service;

/// <summary>Issue [12]: <c>nats.replicas</c> on a single server (refused, said in one line) and on a cluster (existing objects updated).</summary>
public sealed class ReplicasTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Replicas_3_on_a_server_that_is_not_clustered_is_one_line_saying_what_to_do_and_not_ready()
    {
        await using var nats = await NatsServer.StartAsync();
        await using var ingestor = await IngestorInstance.StartAsync(nats.Url, IngestorInstance.TuningFor(TestSettings.Fast(), "a"), replicas: 3);
        await ingestor.Logs.WhenLoggedAsync((level, text) => level == LogLevel.Warning && text.Contains("CT_RAW", StringComparison.Ordinal)).WaitAsync(Timeout);
        var line = ingestor.Logs.Lines.First(l => l.Level == LogLevel.Warning && l.Text.Contains("CT_RAW", StringComparison.Ordinal)).Text;
        Assert.Contains("not clustered; set nats.replicas: 1, or point nats.url at a JetStream cluster", line, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', line);
        Assert.Equal("CT_RAW and the KV buckets not ensured yet", ingestor.Service.NotReadyReason);
    }

    [Fact]
    public async Task On_a_cluster_streams_and_buckets_made_with_one_replica_are_updated_to_three()
    {
        await using var cluster = await NatsCluster.StartAsync();
        await using (var connection = await NatsClients.ConnectAsync(cluster.Url))
        {
            var js = new NatsJSContext(connection);
            await js.CreateStreamAsync(JetStreamConfigs.RawStream(TimeSpan.FromHours(1)));
            var kv = new NatsKVContext(js);
            await kv.CreateStoreAsync(JetStreamConfigs.CheckpointsBucket());
            Assert.Equal(1, (await js.GetStreamAsync(JetStreamNames.RawStream)).Info.Config.NumReplicas);
        }

        await using var ingestor = await IngestorInstance.StartAsync(cluster.Url, IngestorInstance.TuningFor(TestSettings.Fast(), "a"), replicas: 3);
        await ingestor.Logs.WhenLoggedAsync((_, text) => text.Contains("ready; instance id", StringComparison.Ordinal)).WaitAsync(Timeout);
        await using var check = await NatsClients.ConnectAsync(cluster.Url);
        var context = new NatsJSContext(check);
        foreach (var stream in new[] { JetStreamNames.RawStream, "KV_" + JetStreamNames.CheckpointsBucket, "KV_" + JetStreamNames.LeasesBucket })
            Assert.Equal(3, (await context.GetStreamAsync(stream)).Info.Config.NumReplicas);
    }
}
