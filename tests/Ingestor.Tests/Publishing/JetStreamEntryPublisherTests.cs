using Certstream.Contracts;
using Certstream.Ingestor.Logs;
using Certstream.Ingestor.Nats;
using Certstream.Ingestor.Publishing;
using Certstream.Ingestor.Tests.Support;
using Certstream.Nats;
using Certstream.Nats.JetStream;
using Certstream.TestSupport;

namespace Certstream.Ingestor.Tests.Publishing;

public sealed class JetStreamEntryPublisherTests
{
    private static readonly LogDescriptor Log = new("ct_example_com_log", "https://ct.example.com/log/", "Example log", "Example operator", LogKind.Rfc6962);

    private static async Task<(NatsServer Server, NatsConnection Connection, NatsJSContext Js)> StartAsync()
    {
        var server = await NatsServer.StartAsync();
        var connection = new NatsConnection(new NatsOpts
        {
            Url = server.Url,
            ReconnectWaitMin = TimeSpan.FromMilliseconds(50),
            ReconnectWaitMax = TimeSpan.FromMilliseconds(200),
        });
        await connection.ConnectAsync();
        var js = new NatsJSContext(connection, new NatsJSOpts { RequestTimeout = TimeSpan.FromSeconds(2) });
        await IngestorStreams.EnsureAsync(js, TimeSpan.FromHours(1), IngestorInstance.LeaseTtl, CancellationToken.None);
        return (server, connection, js);
    }

    [Fact]
    public async Task An_entry_is_stored_once_as_a_RawEntry_with_its_msg_id_even_when_published_twice()
    {
        var (server, connection, js) = await StartAsync();
        await using var _ = server;
        await using var __ = connection;
        await using (var publisher = new JetStreamEntryPublisher(js, new JetStreamPublisherSettings(), new CapturingLoggerFactory()))
        {
            var fetchedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_790_000_000_123);
            for (var pass = 0; pass < 2; pass++)
            {
                var acks = new List<Task>();
                for (ulong i = 0; i < 100; i++)
                    acks.Add(await publisher.PublishAsync(Log, i, FakeRfc6962Log.LeafFor(i), FakeRfc6962Log.ExtraData, fetchedAt, CancellationToken.None));
                await Task.WhenAll(acks);
            }
        }

        var stored = await RawStreamReader.ReadAsync(js, Log.Key);
        RawStreamReader.AssertEveryIndexOnce(stored, Log.Key, 100);
        var first = stored.Single(s => s.Entry.Index == 7).Entry;
        Assert.Equal(new RawEntry
        {
            Log = Log.Key,
            Url = Log.Url,
            Name = "Example log",
            Operator = "Example operator",
            Type = LogType.Rfc6962,
            Index = 7,
            LeafInput = FakeRfc6962Log.LeafFor(7),
            ExtraData = FakeRfc6962Log.ExtraData,
            FetchedAt = 1_790_000_000.123,
        }, first);
    }

    [Fact]
    public async Task Publishes_across_a_nats_server_crash_are_retried_until_acked_and_stored_once()
    {
        var (server, connection, js) = await StartAsync();
        await using var _ = server;
        await using var __ = connection;
        const int count = 3000;
        var settings = new JetStreamPublisherSettings { AckTimeout = TimeSpan.FromMilliseconds(500), RetryMin = TimeSpan.FromMilliseconds(50), RetryMax = TimeSpan.FromMilliseconds(300), MaxRetries = 100 };
        var disconnected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Disconnected += (_, _) => disconnected.TrySetResult();
        await using (var publisher = new JetStreamEntryPublisher(js, settings, new CapturingLoggerFactory()))
        {
            var acks = new List<Task>();
            Task? restart = null;
            for (ulong i = 0; i < count; i++)
            {
                if (i == count / 3)
                {
                    server.Kill();
                    restart = Task.Run(async () =>
                    {
                        await disconnected.Task.WaitAsync(TimeSpan.FromSeconds(20));
                        // Stay down until the NATS publisher gave up on some acks, so our own retry has to step in (bounded).
                        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
                        while (publisher.Retries == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
                        await server.StartAgainAsync();
                    });
                }
                acks.Add(await publisher.PublishAsync(Log, i, FakeRfc6962Log.LeafFor(i), FakeRfc6962Log.ExtraData, DateTimeOffset.UtcNow, CancellationToken.None));
            }
            await restart!;
            await Task.WhenAll(acks).WaitAsync(TimeSpan.FromSeconds(60));
            Assert.True(publisher.Retries > 0, "the crash made some publishes fail and be retried");
        }

        RawStreamReader.AssertEveryIndexOnce(await RawStreamReader.ReadAsync(js, Log.Key), Log.Key, count);
    }

    [Fact]
    public async Task Disposing_the_publisher_cancels_the_ack_tasks_it_still_holds()
    {
        var (server, connection, js) = await StartAsync();
        await using var _ = server;
        await using var __ = connection;
        var publisher = new JetStreamEntryPublisher(js, new JetStreamPublisherSettings { AckTimeout = TimeSpan.FromMilliseconds(200) }, new CapturingLoggerFactory());
        server.Kill(); // No ack can come.
        var ack = await publisher.PublishAsync(Log, 1, FakeRfc6962Log.LeafFor(1), FakeRfc6962Log.ExtraData, DateTimeOffset.UtcNow, CancellationToken.None);
        await publisher.DisposeAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ack.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
