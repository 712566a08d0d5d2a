using System.Text;
using Certstream.Ingestor.Checkpoints;
using Certstream.Contracts;
using Certstream.TestSupport;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace Certstream.Ingestor.Tests.Checkpoints;

public sealed class KvCheckpointStoreTests(NatsServerFixture nats) : IClassFixture<NatsServerFixture>
{
    [Fact]
    public async Task A_checkpoint_is_stored_as_the_SPEC_json_under_the_log_key_and_read_back()
    {
        await using var connection = await NatsClients.ConnectAsync(nats.Url);
        var bucket = await new NatsKVContext(new NatsJSContext(connection)).CreateOrUpdateStoreAsync(JetStreamConfigs.CheckpointsBucket());
        var store = new KvCheckpointStore(bucket);
        var key = "ct_example_com_" + Guid.NewGuid().ToString("N")[..8];

        Assert.Null(await store.GetAsync(key, CancellationToken.None));
        var updated = new DateTimeOffset(2026, 11, 22, 5, 0, 0, TimeSpan.Zero);
        await store.PutAsync(key, new LogCheckpoint(1234, 5678, updated), CancellationToken.None);

        Assert.Equal(new LogCheckpoint(1234, 5678, updated), await store.GetAsync(key, CancellationToken.None));
        var raw = await bucket.GetEntryAsync<byte[]>(key);
        Assert.Equal("""{"next_index":1234,"tree_size":5678,"updated":"2026-11-22T05:00:00Z"}""", Encoding.UTF8.GetString(raw.Value!));
    }

    [Fact]
    public async Task A_value_that_is_not_a_checkpoint_fails_instead_of_restarting_the_log_at_its_head()
    {
        await using var connection = await NatsClients.ConnectAsync(nats.Url);
        var bucket = await new NatsKVContext(new NatsJSContext(connection)).CreateOrUpdateStoreAsync(JetStreamConfigs.CheckpointsBucket());
        var key = "ct_example_com_" + Guid.NewGuid().ToString("N")[..8];
        await bucket.PutAsync(key, "garbage"u8.ToArray());

        await Assert.ThrowsAsync<InvalidDataException>(async () => await new KvCheckpointStore(bucket).GetAsync(key, CancellationToken.None));
    }
}
