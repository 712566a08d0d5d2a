using System.Diagnostics;
using Certstream.Nats.JetStream;
using Certstream.Nats.JetStream.Models;
using Certstream.TestSupport;
using static Certstream.Nats.Tests.JetStream.JSTestHelpers;

namespace Certstream.Nats.Tests.JetStream;

public sealed class ConsumerTests(NatsServerFixture nats) : IClassFixture<NatsServerFixture>
{
    private async Task<(NatsConnection Conn, NatsJSContext Js, string Stream, string Prefix, NatsJSConsumer Consumer)> SetUpAsync(int messages, ConsumerConfig? config = null, NatsJSOpts? opts = null)
    {
        var (conn, js) = await ConnectJsAsync(nats.Url, opts);
        var stream = UniqueName("CONS");
        var prefix = await CreateStreamAsync(js, stream);
        for (var i = 0; i < messages; i++) await js.PublishAsync(prefix + "m", TestHelpers.Bytes("msg " + i));
        var consumer = await js.CreateOrUpdateConsumerAsync(stream, config ?? new ConsumerConfig("parser"));
        return (conn, js, stream, prefix, consumer);
    }

    [Fact]
    public async Task A_durable_is_created_updated_read_and_deleted()
    {
        var (conn, js, stream, _, consumer) = await SetUpAsync(3, new ConsumerConfig("parser") { AckWait = TimeSpan.FromSeconds(10) });
        await using var _ = conn;
        Assert.Equal("parser", consumer.Name);
        Assert.Equal(stream, consumer.Stream);
        Assert.Equal(TimeSpan.FromSeconds(10), consumer.Info.Config.AckWait);
        Assert.Equal(3ul, consumer.Info.NumPending);

        // Same name again: create-or-update on 2.9 (§3.6); ack_wait may change, the deliver policy may not.
        var updated = await js.CreateOrUpdateConsumerAsync(stream, new ConsumerConfig("parser") { AckWait = TimeSpan.FromSeconds(20) });
        Assert.Equal(TimeSpan.FromSeconds(20), updated.Info.Config.AckWait);
        var error = await Assert.ThrowsAsync<NatsJSApiException>(async () =>
            await js.CreateOrUpdateConsumerAsync(stream, new ConsumerConfig("parser") { DeliverPolicy = ConsumerDeliverPolicy.New }));
        Assert.Equal(10012, error.ErrCode);

        Assert.Equal(TimeSpan.FromSeconds(20), (await consumer.RefreshAsync()).Config.AckWait);
        Assert.True(await js.DeleteConsumerAsync(stream, "parser"));
        Assert.False(await js.DeleteConsumerAsync(stream, "parser"));
        var missing = await Assert.ThrowsAsync<NatsJSApiException>(async () => await js.GetConsumerAsync(stream, "parser"));
        Assert.Equal(NatsJSErrorCodes.ConsumerNotFound, missing.ErrCode);
    }

    [Fact]
    public async Task A_fetch_ends_when_the_batch_fills_without_waiting_for_expiry()
    {
        var (conn, _, stream, prefix, consumer) = await SetUpAsync(5);
        await using var _ = conn;
        var watch = Stopwatch.StartNew();
        var msgs = await FetchAllAsync(consumer, new NatsJSFetchOpts { MaxMsgs = 3, Expires = TimeSpan.FromSeconds(10) });
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal(["msg 0", "msg 1", "msg 2"], msgs.Select(m => TestHelpers.Text(m.Msg)));
        Assert.All(msgs, m => Assert.Equal(prefix + "m", m.Subject));

        var meta = msgs[1].Metadata!;
        Assert.Equal(stream, meta.Stream);
        Assert.Equal("parser", meta.Consumer);
        Assert.Equal(1ul, meta.NumDelivered);
        Assert.Equal(2ul, meta.StreamSequence);
        Assert.Equal(2ul, meta.ConsumerSequence);
        Assert.Equal(3ul, meta.NumPending);
        Assert.InRange(meta.Timestamp, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Null(meta.Domain);
    }

    [Fact]
    public async Task A_no_wait_fetch_ends_on_404_when_empty_and_on_408_after_a_partial_batch()
    {
        var (conn, _, _, _, consumer) = await SetUpAsync(2);
        await using var _ = conn;
        var partial = await FetchAllAsync(consumer, new NatsJSFetchOpts { MaxMsgs = 10, NoWait = true });
        Assert.Equal(2, partial.Count);
        var watch = Stopwatch.StartNew();
        var none = await FetchAllAsync(consumer, new NatsJSFetchOpts { MaxMsgs = 10, NoWait = true });
        Assert.Empty(none);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_fetch_ends_on_408_when_it_expires_and_skips_idle_heartbeats()
    {
        var (conn, _, _, _, consumer) = await SetUpAsync(0);
        await using var _ = conn;
        var watch = Stopwatch.StartNew();
        var msgs = await FetchAllAsync(consumer, new NatsJSFetchOpts { MaxMsgs = 10, Expires = TimeSpan.FromMilliseconds(1600), IdleHeartbeat = TimeSpan.FromMilliseconds(300) });
        Assert.Empty(msgs);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(1400), TimeSpan.FromSeconds(5));
        Assert.True(consumer.HeartbeatsReceived >= 2, $"heartbeats: {consumer.HeartbeatsReceived}");
    }

    [Fact]
    public async Task A_fetch_ends_on_409_when_the_next_message_exceeds_max_bytes()
    {
        var (conn, js, _, prefix, consumer) = await SetUpAsync(0);
        await using var _ = conn;
        for (var i = 0; i < 3; i++) await js.PublishAsync(prefix + "big", new byte[1000]);
        var watch = Stopwatch.StartNew();
        var msgs = await FetchAllAsync(consumer, new NatsJSFetchOpts { MaxMsgs = 10, MaxBytes = 1500, Expires = TimeSpan.FromSeconds(10) });
        Assert.Single(msgs);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task A_fetch_from_a_missing_consumer_meets_silence_and_times_out_on_the_client()
    {
        var (conn, js, stream, _, consumer) = await SetUpAsync(1, opts: new NatsJSOpts { RequestTimeout = TimeSpan.FromMilliseconds(500) });
        await using var _ = conn;
        await js.DeleteConsumerAsync(stream, consumer.Name);
        var watch = Stopwatch.StartNew();
        await Assert.ThrowsAsync<NatsRequestTimeoutException>(() => FetchAllAsync(consumer, new NatsJSFetchOpts { Expires = TimeSpan.FromMilliseconds(500) }));
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task With_heartbeats_a_pull_nobody_answers_fails_once_two_are_missed()
    {
        var (conn, js, stream, _, consumer) = await SetUpAsync(0);
        await using var _ = conn;
        await js.DeleteConsumerAsync(stream, consumer.Name);
        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<NatsRequestTimeoutException>(() => FetchAllAsync(consumer, new NatsJSFetchOpts { Expires = TimeSpan.FromSeconds(20), IdleHeartbeat = TimeSpan.FromMilliseconds(200) }));
        Assert.Contains("heartbeat", error.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal(0, consumer.HeartbeatsReceived);
    }

    [Fact]
    public async Task A_pull_that_goes_silent_after_delivering_ends_without_an_error()
    {
        // The server drops a pull without a 408 when it expired just as a message was handed out; the client must end
        // that pull quietly (what it got is good), not report a missing consumer. A frozen server (SIGSTOP) is that silence.
        await using var server = await NatsServer.StartAsync();
        var (conn, js) = await ConnectJsAsync(server.Url, new NatsJSOpts { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        await using var _ = conn;
        var prefix = await CreateStreamAsync(js, "SILENT");
        for (var i = 0; i < 2; i++) await js.PublishAsync(prefix + "m", TestHelpers.Bytes("msg " + i));
        var consumer = await js.CreateOrUpdateConsumerAsync("SILENT", new ConsumerConfig("parser"));
        var msgs = new List<NatsJSMsg>();
        var watch = Stopwatch.StartNew();
        try
        {
            await foreach (var msg in consumer.FetchAsync(new NatsJSFetchOpts { MaxMsgs = 10, Expires = TimeSpan.FromMilliseconds(500) }))
            {
                msgs.Add(msg);
                if (msgs.Count == 2) server.Signal("STOP"); // no 408 from now on
            }
        }
        finally
        {
            server.Signal("CONT");
        }
        Assert.Equal(2, msgs.Count);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task Acked_messages_are_not_redelivered_and_a_double_ack_is_confirmed()
    {
        var (conn, _, _, _, consumer) = await SetUpAsync(2, new ConsumerConfig("parser") { AckWait = TimeSpan.FromMilliseconds(500) });
        await using var _ = conn;
        var msgs = await FetchAllAsync(consumer, new NatsJSFetchOpts { MaxMsgs = 2 });
        await msgs[0].AckAsync();
        await msgs[1].AckAndWaitAsync();
        await conn.FlushAsync();
        var info = await consumer.RefreshAsync();
        Assert.Equal(2ul, info.AckFloor.StreamSeq);
        Assert.Equal(0, info.NumAckPending);
        // Past ack_wait: nothing comes back.
        Assert.Empty(await FetchAllAsync(consumer, new NatsJSFetchOpts { Expires = TimeSpan.FromMilliseconds(1200) }));
    }

    [Fact]
    public async Task Unacked_messages_come_back_after_ack_wait_with_delivered_count_two()
    {
        var (conn, _, _, _, consumer) = await SetUpAsync(1, new ConsumerConfig("parser") { AckWait = TimeSpan.FromMilliseconds(400) });
        await using var _ = conn;
        Assert.Single(await FetchAllAsync(consumer, new NatsJSFetchOpts { MaxMsgs = 1 }));
        var again = Assert.Single(await FetchAllAsync(consumer, new NatsJSFetchOpts { MaxMsgs = 1, Expires = TimeSpan.FromSeconds(5) }));
        Assert.Equal(2ul, again.Metadata!.NumDelivered);
    }

    [Fact]
    public async Task A_nak_with_delay_redelivers_after_the_delay_with_delivered_count_two()
    {
        var (conn, _, _, _, consumer) = await SetUpAsync(1);
        await using var _ = conn;
        var first = Assert.Single(await FetchAllAsync(consumer, new NatsJSFetchOpts { MaxMsgs = 1 }));
        var watch = Stopwatch.StartNew();
        await first.NakAsync(TimeSpan.FromMilliseconds(800));
        var again = Assert.Single(await FetchAllAsync(consumer, new NatsJSFetchOpts { MaxMsgs = 1, Expires = TimeSpan.FromSeconds(5) }));
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(700), $"redelivered after {watch.Elapsed}");
        Assert.Equal(2ul, again.Metadata!.NumDelivered);
        Assert.Equal(first.Metadata!.StreamSequence, again.Metadata.StreamSequence);
        await again.AckAsync();
    }

    [Fact]
    public async Task A_plain_nak_redelivers_at_once()
    {
        var (conn, _, _, _, consumer) = await SetUpAsync(1);
        await using var _ = conn;
        var first = Assert.Single(await FetchAllAsync(consumer, new NatsJSFetchOpts { MaxMsgs = 1 }));
        await first.NakAsync();
        var again = Assert.Single(await FetchAllAsync(consumer, new NatsJSFetchOpts { MaxMsgs = 1, Expires = TimeSpan.FromSeconds(2) }));
        Assert.Equal(2ul, again.Metadata!.NumDelivered);
    }

    [Fact]
    public async Task Term_stops_redelivery_and_in_progress_holds_it_off()
    {
        var (conn, _, _, _, consumer) = await SetUpAsync(2, new ConsumerConfig("parser") { AckWait = TimeSpan.FromMilliseconds(500) });
        await using var _ = conn;
        var msgs = await FetchAllAsync(consumer, new NatsJSFetchOpts { MaxMsgs = 2 });
        await msgs[0].TermAsync();
        // Keep the second one alive past several ack_waits.
        for (var i = 0; i < 4; i++)
        {
            await msgs[1].InProgressAsync();
            var during = await FetchAllAsync(consumer, new NatsJSFetchOpts { Expires = TimeSpan.FromMilliseconds(300) });
            Assert.Empty(during);
        }
        await msgs[1].AckAsync();
        Assert.Empty(await FetchAllAsync(consumer, new NatsJSFetchOpts { Expires = TimeSpan.FromMilliseconds(1000) }));
    }

    [Fact]
    public async Task Consume_keeps_pulls_outstanding_and_delivers_every_message_once()
    {
        var (conn, js, _, prefix, consumer) = await SetUpAsync(0);
        await using var _ = conn;
        await using (var publisher = js.CreatePublisher())
        {
            for (var i = 0; i < 2500; i++) await publisher.PublishAsync(prefix + "c", TestHelpers.Bytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            await publisher.WaitForAcksAsync();
        }
        var seen = new HashSet<ulong>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var msg in consumer.ConsumeAsync(new NatsJSConsumeOpts { MaxMsgs = 100, Expires = TimeSpan.FromSeconds(5), IdleHeartbeat = TimeSpan.FromSeconds(1) }, cts.Token))
        {
            Assert.True(seen.Add(msg.Metadata!.StreamSequence));
            await msg.AckAsync();
            if (seen.Count == 2500) break;
        }
        Assert.Equal(2500, seen.Count);
        await conn.FlushAsync();
        Assert.Equal(0ul, (await consumer.RefreshAsync()).NumPending);
    }

    [Fact]
    public async Task Short_fetches_back_to_back_during_publishing_receive_every_message_once_without_redelivery()
    {
        // Many pulls expire while messages are arriving: none may be delivered to a pull the client already left.
        var (conn, js, _, prefix, consumer) = await SetUpAsync(0, new ConsumerConfig("parser") { AckWait = TimeSpan.FromSeconds(30) });
        await using var _ = conn;
        const int count = 3000;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(25));
        var publishing = Task.Run(async () =>
        {
            await using var publisher = js.CreatePublisher();
            for (var i = 0; i < count; i++)
            {
                await publisher.PublishAsync(prefix + "s", TestHelpers.Bytes("s"), cancellationToken: cts.Token);
                if (i % 50 == 0) await Task.Delay(5, cts.Token); // a trickle, so pulls keep expiring half-filled
            }
            await publisher.WaitForAcksAsync(cts.Token);
        });
        var seen = new HashSet<ulong>();
        var fetches = 0;
        while (seen.Count < count && !cts.IsCancellationRequested)
        {
            fetches++;
            await foreach (var msg in consumer.FetchAsync(new NatsJSFetchOpts { MaxMsgs = 64, Expires = TimeSpan.FromMilliseconds(20) }, cts.Token))
            {
                Assert.True(seen.Add(msg.Metadata!.StreamSequence), $"seq {msg.Metadata.StreamSequence} delivered twice");
                Assert.Equal(1ul, msg.Metadata.NumDelivered);
                await msg.AckAsync();
            }
        }
        await publishing;
        Assert.True(seen.Count == count, $"{seen.Count} of {count} received in {fetches} fetches");
    }

    [Fact]
    public void Metadata_parses_v1_and_v2_ack_subjects_and_rejects_others()
    {
        var v1 = NatsJSMsgMetadata.TryParse("$JS.ACK.ORDERS.worker.2.10.7.1795318545180661277.3")!;
        Assert.Equal(new NatsJSMsgMetadata("ORDERS", "worker", 2, 10, 7, DateTimeOffset.FromUnixTimeMilliseconds(1795318545180), 3, null), v1 with { Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(v1.Timestamp.ToUnixTimeMilliseconds()) });
        var v2 = NatsJSMsgMetadata.TryParse("$JS.ACK.hub.ACCHASH.ORDERS.worker.1.11.8.1795318545180661277.0.rand0m")!;
        Assert.Equal("hub", v2.Domain);
        Assert.Equal("ORDERS", v2.Stream);
        Assert.Equal(11ul, v2.StreamSequence);
        Assert.Null(NatsJSMsgMetadata.TryParse("$JS.ACK._.ACCHASH.ORDERS.worker.1.11.8.1795318545180661277.0")!.Domain);
        Assert.Null(NatsJSMsgMetadata.TryParse("_INBOX.abc.1"));
        Assert.Null(NatsJSMsgMetadata.TryParse("$JS.ACK.ORDERS.worker.x.10.7.1.3"));
        Assert.Null(NatsJSMsgMetadata.TryParse(null));
    }
}
