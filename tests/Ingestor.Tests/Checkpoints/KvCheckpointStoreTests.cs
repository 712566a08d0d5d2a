using System.Text;
using Certstream.Ingestor.Checkpoints;
using Certstream.Ingestor.Nats;
using Certstream.Nats;
using Certstream.Nats.JetStream;
using Certstream.TestSupport;

namespace Certstream.Ingestor.Tests.Checkpoints;

public sealed class KvCheckpointStoreTests(NatsServerFixture nats) : IClassFixture<NatsServerFixture>
{
    [Fact]
    public async Task A_checkpoint_is_stored_as_the_SPEC_json_under_the_log_key_and_read_back()
    {
        await using var connection = new NatsConnection(new NatsOpts { Url = nats.Url });
        await connection.ConnectAsync();
        var bucket = await new NatsJSContext(connection).EnsureKeyValueAsync(IngestorStreams.Checkpoints());
        var store = new KvCheckpointStore(bucket);
        var key = "ct_example_com_" + Guid.NewGuid().ToString("N")[..8];

        Assert.Null(await store.GetAsync(key, CancellationToken.None));
        var updated = new DateTimeOffset(2026, 11, 22, 5, 0, 0, TimeSpan.Zero);
        await store.PutAsync(key, new LogCheckpoint(1234, 5678, updated), CancellationToken.None);

        Assert.Equal(new LogCheckpoint(1234, 5678, updated), await store.GetAsync(key, CancellationToken.None));
        var raw = await bucket.GetAsync(key);
        Assert.Equal("""{"next_index":1234,"tree_size":5678,"updated":"2026-11-22T05:00:00Z"}""", Encoding.UTF8.GetString(raw!.Value.Span));
    }

    [Fact]
    public async Task A_value_that_is_not_a_checkpoint_fails_instead_of_restarting_the_log_at_its_head()
    {
        await using var connection = new NatsConnection(new NatsOpts { Url = nats.Url });
        await connection.ConnectAsync();
        var bucket = await new NatsJSContext(connection).EnsureKeyValueAsync(IngestorStreams.Checkpoints());
        var key = "ct_example_com_" + Guid.NewGuid().ToString("N")[..8];
        await bucket.PutAsync(key, "garbage"u8.ToArray());

        await Assert.ThrowsAsync<InvalidDataException>(async () => await new KvCheckpointStore(bucket).GetAsync(key, CancellationToken.None));
    }
}
