using Certstream.Contracts;
using Certstream.Ingestor.Logs;
using Certstream.Ingestor.Publishing;
using Certstream.Ingestor.Tests.Support;
using Certstream.TestSupport;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Certstream.Ingestor.Tests.Publishing;

public sealed class JetStreamEntryPublisherTests
{
    private static readonly LogDescriptor Log = new("ct_example_com_log", "https://ct.example.com/log/", "Example log", "Example operator", LogKind.Rfc6962);

    private static async Task<(NatsServer Server, NatsConnection Connection, NatsJSContext Js)> StartAsync()
    {
        var server = await NatsServer.StartAsync();
        var connection = await NatsClients.ConnectAsync(server.Url);
        var js = new NatsJSContext(connection);
        await js.CreateStreamAsync(JetStreamConfigs.RawStream(TimeSpan.FromHours(1)));
        return (server, connection, js);
    }

    [Fact]
    public async Task An_entry_is_stored_once_as_a_RawEntry_with_its_msg_id_even_when_published_twice()
    {
        var (server, connection, js) = await StartAsync();
        await using var _ = server;
        await using var __ = connection;
        await using (var publisher = new JetStreamEntryPublisher(connection, new JetStreamPublisherSettings(), new CapturingLoggerFactory()))
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
        connection.ConnectionDisconnected += (_, _) =>
        {
            disconnected.TrySetResult();
            return ValueTask.CompletedTask;
        };
        await using (var publisher = new JetStreamEntryPublisher(connection, settings, new CapturingLoggerFactory()))
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
                        // Stay down until some publishes failed, so that the publisher's retry has to step in (bounded).
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
        var publisher = new JetStreamEntryPublisher(connection, new JetStreamPublisherSettings { AckTimeout = TimeSpan.FromMilliseconds(200) }, new CapturingLoggerFactory());
        server.Kill(); // No ack can come.
        var ack = await publisher.PublishAsync(Log, 1, FakeRfc6962Log.LeafFor(1), FakeRfc6962Log.ExtraData, DateTimeOffset.UtcNow, CancellationToken.None);
        await publisher.DisposeAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ack.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_full_window_holds_the_next_publish_back_until_an_ack_frees_a_slot()
    {
        var (server, connection, js) = await StartAsync();
        await using var _ = server;
        await using var __ = connection;
        await using var publisher = new JetStreamEntryPublisher(connection, new JetStreamPublisherSettings { Window = 8, AckTimeout = TimeSpan.FromSeconds(10) },
            new CapturingLoggerFactory());
        server.Signal("STOP"); // frozen: no ack comes, the connection stays up
        try
        {
            var acks = new List<Task>();
            for (ulong i = 0; i < 8; i++)
                acks.Add(await publisher.PublishAsync(Log, i, FakeRfc6962Log.LeafFor(i), FakeRfc6962Log.ExtraData, DateTimeOffset.UtcNow, CancellationToken.None));
            Assert.Equal(8, publisher.InFlight);
            var ninth = publisher.PublishAsync(Log, 8, FakeRfc6962Log.LeafFor(8), FakeRfc6962Log.ExtraData, DateTimeOffset.UtcNow, CancellationToken.None).AsTask();
            // The ninth is not taken while eight wait for their acks (a wait that can only end by a failure of the test).
            Assert.NotSame(ninth, await Task.WhenAny(ninth, Task.Delay(TimeSpan.FromMilliseconds(500))));
            Assert.DoesNotContain(acks, a => a.IsCompleted);

            server.Signal("CONT");
            acks.Add(await ninth.WaitAsync(TimeSpan.FromSeconds(20)));
            await Task.WhenAll(acks).WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(0, publisher.InFlight);
        }
        finally
        {
            server.Signal("CONT");
        }
        RawStreamReader.AssertEveryIndexOnce(await RawStreamReader.ReadAsync(js, Log.Key), Log.Key, 9);
    }
}
