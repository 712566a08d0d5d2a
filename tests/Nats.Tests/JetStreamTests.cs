using Certstream.Nats.JetStream;
using Certstream.TestSupport;
using static Certstream.Nats.Tests.TestHelpers;

namespace Certstream.Nats.Tests;

public sealed class JetStreamTests(NatsServerFixture nats) : IClassFixture<NatsServerFixture>
{
    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    private async Task<(NatsConnection Conn, NatsJSContext Js, string Stream, string Subject)> StreamAsync(Func<NatsJSStreamConfig, NatsJSStreamConfig>? configure = null)
    {
        var conn = await ConnectAsync(nats.Url);
        var js = new NatsJSContext(conn);
        var stream = Unique("S");
        var subject = stream.ToLowerInvariant();
        var config = new NatsJSStreamConfig { Name = stream, Subjects = [subject + ".>"], Storage = NatsJSStorage.Memory };
        await js.EnsureStreamAsync(configure?.Invoke(config) ?? config);
        return (conn, js, stream, subject);
    }

    [Fact]
    public async Task Account_info_reports_streams()
    {
        var (conn, js, _, _) = await StreamAsync();
        await using var _c = conn;
        var info = await js.GetAccountInfoAsync();
        Assert.True(info.Streams >= 1);
        Assert.Equal(-1, info.Limits.MaxStreams);
    }

    [Fact]
    public async Task Ensure_stream_is_idempotent_updates_changed_config_and_delete_removes_it()
    {
        var (conn, js, stream, subject) = await StreamAsync();
        await using var _c = conn;
        var same = await js.EnsureStreamAsync(new NatsJSStreamConfig { Name = stream, Subjects = [subject + ".>"], Storage = NatsJSStorage.Memory });
        Assert.Equal(stream, same.Config.Name);
        var updated = await js.EnsureStreamAsync(new NatsJSStreamConfig { Name = stream, Subjects = [subject + ".>"], Storage = NatsJSStorage.Memory, MaxMsgs = 10, MaxAge = TimeSpan.FromMinutes(5) });
        Assert.Equal(10, updated.Config.MaxMsgs);
        Assert.Equal(TimeSpan.FromMinutes(5), updated.Config.MaxAge);
        Assert.Equal(NatsJSStorage.Memory, (await js.GetStreamAsync(stream)).Config.Storage);
        Assert.True(await js.DeleteStreamAsync(stream));
        var missing = await Assert.ThrowsAsync<NatsJSApiException>(() => js.GetStreamAsync(stream));
        Assert.Equal(404, missing.Code);
        Assert.Equal(10059, missing.ErrCode);
    }

    [Fact]
    public async Task Publish_returns_pub_acks_deduplicates_by_msg_id_and_checks_expectations()
    {
        var (conn, js, stream, subject) = await StreamAsync();
        await using var _c = conn;
        var first = await js.PublishAsync(subject + ".a", Bytes("1"), new NatsJSPubOpts { MsgId = "m-1" });
        Assert.Equal(stream, first.Stream);
        Assert.Equal(1UL, first.Seq);
        Assert.False(first.Duplicate);
        var dup = await js.PublishAsync(subject + ".a", Bytes("1"), new NatsJSPubOpts { MsgId = "m-1" });
        Assert.True(dup.Duplicate);
        Assert.Equal(1UL, dup.Seq);

        var wrongLast = await Assert.ThrowsAsync<NatsJSApiException>(() => js.PublishAsync(subject + ".a", Bytes("2"), new NatsJSPubOpts { ExpectedLastSequence = 7 }));
        Assert.Equal(10071, wrongLast.ErrCode);
        var wrongStream = await Assert.ThrowsAsync<NatsJSApiException>(() => js.PublishAsync(subject + ".a", Bytes("2"), new NatsJSPubOpts { ExpectedStream = "OTHER" }));
        Assert.Equal(10060, wrongStream.ErrCode);
        var wrongId = await Assert.ThrowsAsync<NatsJSApiException>(() => js.PublishAsync(subject + ".a", Bytes("2"), new NatsJSPubOpts { ExpectedLastMsgId = "nope" }));
        Assert.Equal(10070, wrongId.ErrCode);
        // Subject sequence 0 = "no message on this subject yet" (KV create, trap 10).
        Assert.Equal(2UL, (await js.PublishAsync(subject + ".b", Bytes("b"), new NatsJSPubOpts { ExpectedLastSubjectSequence = 0 })).Seq);
        var taken = await Assert.ThrowsAsync<NatsJSApiException>(() => js.PublishAsync(subject + ".b", Bytes("b2"), new NatsJSPubOpts { ExpectedLastSubjectSequence = 0 }));
        Assert.Equal(10071, taken.ErrCode);
        Assert.Equal(3UL, (await js.PublishAsync(subject + ".b", Bytes("b3"), new NatsJSPubOpts { ExpectedLastSubjectSequence = 2, ExpectedLastSequence = 2 })).Seq);

        await Assert.ThrowsAsync<NatsNoRespondersException>(() => js.PublishAsync("no.stream.here", Bytes("x")));
    }

    [Fact]
    public async Task Pipelined_publish_keeps_a_window_of_acks_and_all_arrive_in_order()
    {
        var (conn, js, stream, subject) = await StreamAsync();
        await using var _c = conn;
        using var publisher = js.CreatePublisher(maxAcksInFlight: 32);
        var acks = new List<Task<NatsJSPubAck>>();
        for (var i = 0; i < 500; i++) acks.Add(await publisher.PublishAsync(subject + ".p", Bytes("m" + i)));
        await publisher.WaitForAcksAsync();
        var seqs = acks.Select(a => a.Result.Seq).ToArray();
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (ulong)i), seqs);
        Assert.Equal(500UL, (await js.GetStreamAsync(stream)).State.Messages);
    }

    [Fact]
    public async Task A_durable_pull_consumer_fetches_batches_and_acks_remove_pending()
    {
        var (conn, js, stream, subject) = await StreamAsync();
        await using var _c = conn;
        for (var i = 0; i < 10; i++) await js.PublishAsync($"{subject}.{i % 2}", Bytes("m" + i));
        var created = await js.EnsureConsumerAsync(stream, new NatsJSConsumerConfig { DurableName = "worker", AckWait = TimeSpan.FromSeconds(30) });
        Assert.Equal(NatsJSAckPolicy.Explicit, created.Config.AckPolicy);
        Assert.Equal(TimeSpan.FromSeconds(30), created.Config.AckWait);

        var batch = new List<NatsJSMsg>();
        await foreach (var m in js.FetchAsync(stream, "worker", new NatsJSFetchOpts { Batch = 4, Expires = TimeSpan.FromSeconds(2) })) batch.Add(m);
        Assert.Equal(["m0", "m1", "m2", "m3"], batch.Select(m => Text(m.Msg)));
        Assert.Equal(subject + ".0", batch[0].Subject); // the stream subject, not the inbox
        var meta = batch[3].Metadata!;
        Assert.Equal(stream, meta.Stream);
        Assert.Equal("worker", meta.Consumer);
        Assert.Equal(4UL, meta.StreamSequence);
        Assert.Equal(1UL, meta.NumDelivered);
        Assert.Equal(6UL, meta.NumPending);
        foreach (var m in batch) await m.AckAsync(confirm: true);
        var info = await js.GetConsumerAsync(stream, "worker");
        Assert.Equal(0, info.NumAckPending);
        Assert.Equal(4UL, info.AckFloor.StreamSeq);
        Assert.Equal(6UL, info.NumPending);
    }

    [Fact]
    public async Task No_wait_fetch_ends_with_404_or_408_and_expires_ends_an_idle_fetch()
    {
        var (conn, js, stream, subject) = await StreamAsync();
        await using var _c = conn;
        await js.EnsureConsumerAsync(stream, new NatsJSConsumerConfig { DurableName = "nw" });
        Assert.Empty(await js.FetchAsync(stream, "nw", new NatsJSFetchOpts { Batch = 5, NoWait = true }).ToListAsync());
        await js.PublishAsync(subject + ".x", Bytes("only"));
        Assert.Single(await js.FetchAsync(stream, "nw", new NatsJSFetchOpts { Batch = 5, NoWait = true }).ToListAsync());
        var sw = System.Diagnostics.Stopwatch.StartNew();
        Assert.Empty(await js.FetchAsync(stream, "nw", new NatsJSFetchOpts { Batch = 5, Expires = TimeSpan.FromMilliseconds(300) }).ToListAsync());
        Assert.InRange(sw.Elapsed, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1.2)); // ended by the server's 408
    }

    [Fact]
    public async Task Idle_heartbeats_keep_a_long_fetch_alive_and_max_bytes_caps_the_batch()
    {
        var (conn, js, stream, subject) = await StreamAsync();
        await using var _c = conn;
        await js.EnsureConsumerAsync(stream, new NatsJSConsumerConfig { DurableName = "hb" });
        // 1 s expiry with 200 ms heartbeats: the fetch sees several 100 statuses and still ends cleanly on 408.
        Assert.Empty(await js.FetchAsync(stream, "hb", new NatsJSFetchOpts { Batch = 2, Expires = TimeSpan.FromSeconds(1), IdleHeartbeat = TimeSpan.FromMilliseconds(200) }).ToListAsync());
        for (var i = 0; i < 5; i++) await js.PublishAsync(subject + ".big", new byte[1000]);
        var capped = await js.FetchAsync(stream, "hb", new NatsJSFetchOpts { Batch = 5, MaxBytes = 2500, Expires = TimeSpan.FromSeconds(2) }).ToListAsync();
        Assert.InRange(capped.Count, 1, 2);
        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await js.FetchAsync(stream, "hb", new NatsJSFetchOpts { Expires = TimeSpan.FromSeconds(1), IdleHeartbeat = TimeSpan.FromSeconds(1) }).ToListAsync());
    }

    [Fact]
    public async Task A_fetch_on_a_deleted_consumer_reports_409_or_ends_by_timeout()
    {
        var (conn, js, stream, _) = await StreamAsync();
        await using var _c = conn;
        await js.EnsureConsumerAsync(stream, new NatsJSConsumerConfig { DurableName = "gone" });
        var fetch = js.FetchAsync(stream, "gone", new NatsJSFetchOpts { Batch = 1, Expires = TimeSpan.FromSeconds(5) }).ToListAsync().AsTask();
        // Wait until the server holds the pull request (num_waiting), then delete the consumer under it.
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while ((await js.GetConsumerAsync(stream, "gone")).NumWaiting == 0 && deadline.Elapsed < Wait) { }
        Assert.True(await js.DeleteConsumerAsync(stream, "gone"));
        var ex = await Assert.ThrowsAsync<NatsJSException>(() => fetch);
        Assert.Equal(409, ex.StatusCode);
        var missing = await Assert.ThrowsAsync<NatsJSApiException>(() => js.GetConsumerAsync(stream, "gone"));
        Assert.Equal(10014, missing.ErrCode);
    }

    [Fact]
    public async Task Nak_with_delay_redelivers_later_and_term_stops_redelivery()
    {
        var (conn, js, stream, subject) = await StreamAsync();
        await using var _c = conn;
        await js.EnsureConsumerAsync(stream, new NatsJSConsumerConfig { DurableName = "nak", AckWait = TimeSpan.FromSeconds(10) });
        await js.PublishAsync(subject + ".n", Bytes("retry-me"));
        await js.PublishAsync(subject + ".n", Bytes("kill-me"));
        var opts = new NatsJSFetchOpts { Batch = 2, Expires = TimeSpan.FromSeconds(2) };
        var first = await js.FetchAsync(stream, "nak", opts).ToListAsync();
        Assert.Equal(2, first.Count);
        await first[0].InProgressAsync(confirm: true);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        await first[0].NakAsync(TimeSpan.FromMilliseconds(500), confirm: true);
        await first[1].TermAsync(confirm: true);

        var again = await js.FetchAsync(stream, "nak", new NatsJSFetchOpts { Batch = 2, Expires = TimeSpan.FromSeconds(3) }).ToListAsync();
        var redelivered = Assert.Single(again);
        Assert.True(sw.Elapsed >= TimeSpan.FromMilliseconds(450), $"redelivered after {sw.Elapsed}");
        Assert.Equal("retry-me", Text(redelivered.Msg));
        Assert.Equal(2UL, redelivered.Metadata!.NumDelivered);
        await redelivered.NakAsync(confirm: true); // immediate redelivery
        var third = Assert.Single(await js.FetchAsync(stream, "nak", new NatsJSFetchOpts { Batch = 2, Expires = TimeSpan.FromSeconds(1) }).ToListAsync());
        Assert.Equal(3UL, third.Metadata!.NumDelivered);
        await third.AckAsync(confirm: true);
        var info = await js.GetConsumerAsync(stream, "nak");
        Assert.Equal(0, info.NumAckPending);
    }

    [Fact]
    public async Task Consume_keeps_pulling_across_batches_and_picks_up_later_messages()
    {
        var (conn, js, stream, subject) = await StreamAsync();
        await using var _c = conn;
        await js.EnsureConsumerAsync(stream, new NatsJSConsumerConfig { DurableName = "consume" });
        using var publisher = js.CreatePublisher(64);
        for (var i = 0; i < 250; i++) await publisher.PublishAsync(subject + ".c", Bytes("m" + i));
        await publisher.WaitForAcksAsync();

        using var cts = new CancellationTokenSource(Wait);
        var received = new List<string>();
        var late = Task.CompletedTask;
        await foreach (var msg in js.ConsumeAsync(stream, "consume", new NatsJSConsumeOpts { MaxMsgs = 40, Expires = TimeSpan.FromSeconds(2), IdleHeartbeat = TimeSpan.FromMilliseconds(500) }, cts.Token))
        {
            received.Add(Text(msg.Msg));
            await msg.AckAsync();
            if (received.Count == 250) late = Task.Run(async () => { for (var i = 250; i < 260; i++) await js.PublishAsync(subject + ".c", Bytes("m" + i)); });
            if (received.Count == 260) break;
        }
        await late;
        Assert.Equal(Enumerable.Range(0, 260).Select(i => "m" + i), received);
        await conn.FlushAsync();
        var info = await js.GetConsumerAsync(stream, "consume");
        Assert.Equal(0UL, info.NumPending);
    }

    [Fact]
    public async Task A_pull_over_the_consumers_batch_limit_ends_with_a_409_error()
    {
        var (conn, js, stream, subject) = await StreamAsync();
        await using var _c = conn;
        await js.EnsureConsumerAsync(stream, new NatsJSConsumerConfig { DurableName = "capped", MaxBatch = 2 });
        await js.PublishAsync(subject + ".x", Bytes("x"));
        var ex = await Assert.ThrowsAsync<NatsJSException>(async () =>
            await js.FetchAsync(stream, "capped", new NatsJSFetchOpts { Batch = 5, Expires = TimeSpan.FromSeconds(2) }).ToListAsync());
        Assert.Equal(409, ex.StatusCode);
        Assert.Contains("MaxRequestBatch", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_fetch_whose_heartbeats_stop_fails_instead_of_waiting_for_expiry()
    {
        // A server that accepts the pull request and then says nothing, not even heartbeats.
        await using var fake = new FakeNatsServer(async c =>
        {
            await c.HandshakeAsync();
            await c.ReadToEndAsync();
        });
        await using var conn = await ConnectAsync(fake.Url);
        var js = new NatsJSContext(conn);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var ex = await Assert.ThrowsAsync<NatsJSException>(async () =>
            await js.FetchAsync("S", "c", new NatsJSFetchOpts { Batch = 1, Expires = TimeSpan.FromSeconds(20), IdleHeartbeat = TimeSpan.FromMilliseconds(200) }).ToListAsync());
        Assert.Contains("heartbeat", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
    }

    [Fact]
    public void Ack_subject_metadata_parses_both_formats()
    {
        var v1 = NatsJSMsgMetadata.Parse("$JS.ACK.ORDERS.worker.2.10.7.1795318545180661277.3")!;
        Assert.Equal(("ORDERS", "worker", 2UL, 10UL, 7UL, 3UL), (v1.Stream, v1.Consumer, v1.NumDelivered, v1.StreamSequence, v1.ConsumerSequence, v1.NumPending));
        var v2 = NatsJSMsgMetadata.Parse("$JS.ACK.hub.ACCHASH.ORDERS.worker.1.11.8.1795318545180661277.0.r4nd")!;
        Assert.Equal(("ORDERS", "worker", 11UL), (v2.Stream, v2.Consumer, v2.StreamSequence));
        Assert.Null(NatsJSMsgMetadata.Parse("_INBOX.x"));
    }
}
