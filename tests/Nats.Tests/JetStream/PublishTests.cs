using System.Text;
using Certstream.Nats.JetStream;
using Certstream.Nats.JetStream.Models;
using Certstream.TestSupport;
using static Certstream.Nats.Tests.JetStream.JSTestHelpers;

namespace Certstream.Nats.Tests.JetStream;

public sealed class PublishTests(NatsServerFixture nats) : IClassFixture<NatsServerFixture>
{
    [Fact]
    public async Task An_awaited_publish_returns_the_stream_and_sequence_and_a_repeated_msg_id_is_a_duplicate()
    {
        var (conn, js) = await ConnectJsAsync(nats.Url);
        await using var _ = conn;
        var name = UniqueName("PUB");
        var prefix = await CreateStreamAsync(js, name);

        var first = await js.PublishAsync(prefix + "a", TestHelpers.Bytes("one"), new NatsJSPubOpts { MsgId = "m1" });
        var second = await js.PublishAsync(prefix + "a", TestHelpers.Bytes("two"));
        var repeat = await js.PublishAsync(prefix + "a", TestHelpers.Bytes("one again"), new NatsJSPubOpts { MsgId = "m1" });

        Assert.Equal(new PubAck(name, 1, false), first);
        Assert.Equal(new PubAck(name, 2, false), second);
        Assert.Equal(new PubAck(name, 1, true), repeat);
        Assert.Equal(2ul, (await js.GetStreamAsync(name)).State.Messages);
    }

    [Fact]
    public async Task Expected_last_subject_sequence_conflicts_are_10071_and_expected_stream_mismatches_10060()
    {
        var (conn, js) = await ConnectJsAsync(nats.Url);
        await using var _ = conn;
        var name = UniqueName("EXPECT");
        var prefix = await CreateStreamAsync(js, name);
        await js.PublishAsync(prefix + "k", TestHelpers.Bytes("v1"), new NatsJSPubOpts { ExpectedLastSubjectSequence = 0 });

        var cas = await Assert.ThrowsAsync<NatsJSApiException>(async () =>
            await js.PublishAsync(prefix + "k", TestHelpers.Bytes("v2"), new NatsJSPubOpts { ExpectedLastSubjectSequence = 0 }));
        Assert.Equal(NatsJSErrorCodes.WrongLastSequence, cas.ErrCode);
        Assert.Contains("wrong last sequence: 1", cas.Description, StringComparison.Ordinal);

        var stream = await Assert.ThrowsAsync<NatsJSApiException>(async () =>
            await js.PublishAsync(prefix + "k", TestHelpers.Bytes("v2"), new NatsJSPubOpts { ExpectedStream = "OTHER" }));
        Assert.Equal(10060, stream.ErrCode);
    }

    [Fact]
    public async Task A_subject_no_stream_covers_has_no_responders_after_the_retries()
    {
        var (conn, js) = await ConnectJsAsync(nats.Url, new NatsJSOpts { PublishRetryWait = TimeSpan.FromMilliseconds(20) });
        await using var _ = conn;
        await Assert.ThrowsAsync<NatsNoRespondersException>(async () => await js.PublishAsync("nostream." + Guid.NewGuid().ToString("N"), TestHelpers.Bytes("x")));
    }

    [Fact]
    public async Task Ten_thousand_pipelined_publishes_then_the_same_again_leave_exactly_ten_thousand_messages()
    {
        var (conn, js) = await ConnectJsAsync(nats.Url);
        await using var _ = conn;
        var name = UniqueName("PIPE");
        var prefix = await CreateStreamAsync(js, name, c => c with { DuplicateWindow = TimeSpan.FromMinutes(10) });
        await using var publisher = js.CreatePublisher(new NatsJSPublisherOpts { MaxAcksInFlight = 256 });
        const int count = 10_000;

        async Task<PubAck[]> PublishAllAsync()
        {
            var futures = new NatsJSPubAckFuture[count];
            var maxInFlight = 0;
            for (var i = 0; i < count; i++)
            {
                futures[i] = await publisher.PublishAsync(prefix + (i % 10), Encoding.ASCII.GetBytes("entry " + i), msgId: "log:" + i);
                maxInFlight = Math.Max(maxInFlight, publisher.InFlight);
            }
            Assert.InRange(maxInFlight, 2, 256); // pipelined, and bounded by the window
            var acks = new PubAck[count];
            for (var i = 0; i < count; i++) acks[i] = await futures[i];
            return acks;
        }

        var first = await PublishAllAsync();
        Assert.All(first, a => Assert.False(a.Duplicate));
        Assert.Equal(Enumerable.Range(1, count).Select(i => (ulong)i), first.Select(a => a.Seq).Order());
        Assert.All(first, a => Assert.Equal(name, a.Stream));

        var second = await PublishAllAsync();
        Assert.All(second, a => Assert.True(a.Duplicate));
        Assert.Equal(first.Select(a => a.Seq), second.Select(a => a.Seq)); // the original's sequence, message by message

        var info = await js.GetStreamAsync(name);
        Assert.Equal((ulong)count, info.State.Messages);
        Assert.Equal(0, publisher.InFlight);
    }

    [Fact]
    public async Task A_pipelined_publish_surfaces_api_errors_and_no_responders_through_its_future()
    {
        var (conn, js) = await ConnectJsAsync(nats.Url);
        await using var _ = conn;
        var prefix = await CreateStreamAsync(js, UniqueName("PIPEERR"));
        await using var publisher = js.CreatePublisher(new NatsJSPublisherOpts { RetryWait = TimeSpan.FromMilliseconds(20) });

        var ok = await publisher.PublishAsync(prefix + "a", TestHelpers.Bytes("x"));
        var wrongStream = await publisher.PublishAsync(prefix + "a", TestHelpers.Bytes("x"), opts: new NatsJSPubOpts { ExpectedStream = "NOPE" });
        var nobody = await publisher.PublishAsync("nostream." + Guid.NewGuid().ToString("N"), TestHelpers.Bytes("x"));

        Assert.Equal(1ul, (await ok).Seq);
        var error = await Assert.ThrowsAsync<NatsJSApiException>(async () => await wrongStream);
        Assert.Equal(10060, error.ErrCode);
        await Assert.ThrowsAsync<NatsNoRespondersException>(async () => await nobody);
        Assert.Equal(0, publisher.InFlight);
    }

    [Fact]
    public async Task A_pipelined_publish_without_an_ack_times_out_and_frees_its_window_place()
    {
        var (conn, js) = await ConnectJsAsync(nats.Url);
        await using var _ = conn;
        // A plain subscriber takes the message and never answers: no 503, no ack.
        var subject = "silent." + Guid.NewGuid().ToString("N");
        await using var sink = await conn.SubscribeAsync(subject);
        await conn.FlushAsync();
        await using var publisher = js.CreatePublisher(new NatsJSPublisherOpts { MaxAcksInFlight = 1, AckTimeout = TimeSpan.FromMilliseconds(300) });

        var future = await publisher.PublishAsync(subject, TestHelpers.Bytes("x"));
        Assert.Equal(1, publisher.InFlight);
        await Assert.ThrowsAsync<NatsJSPublishTimeoutException>(async () => await future);
        Assert.Equal(0, publisher.InFlight);
    }

    [Fact]
    public async Task A_full_window_makes_publish_wait_until_an_ack_frees_a_place()
    {
        var (conn, js) = await ConnectJsAsync(nats.Url);
        await using var _ = conn;
        var subject = "slow." + Guid.NewGuid().ToString("N");
        // A stand-in stream that answers only when told to, to hold the single window place.
        await using var responder = await conn.SubscribeAsync(subject);
        await conn.FlushAsync();
        await using var publisher = js.CreatePublisher(new NatsJSPublisherOpts { MaxAcksInFlight = 1 });

        var first = await publisher.PublishAsync(subject, TestHelpers.Bytes("1"));
        var blocked = publisher.PublishAsync(subject, TestHelpers.Bytes("2")).AsTask();
        var request = await responder.NextAsync();
        Assert.False(blocked.IsCompleted);
        await conn.PublishAsync(request.ReplyTo!, TestHelpers.Bytes("{\"stream\":\"FAKE\", \"seq\":7}"));
        Assert.Equal(new PubAck("FAKE", 7, false), await first);
        var second = await blocked.WaitAsync(TestHelpers.Wait);
        var request2 = await responder.NextAsync();
        await conn.PublishAsync(request2.ReplyTo!, TestHelpers.Bytes("{\"stream\":\"FAKE\",\"seq\":8,\"duplicate\":true}"));
        Assert.Equal(new PubAck("FAKE", 8, true), await second);
    }

    [Fact]
    public async Task Shared_caller_headers_are_copied_not_changed_and_each_message_keeps_its_own_id()
    {
        var (conn, js) = await ConnectJsAsync(nats.Url);
        await using var _ = conn;
        var name = UniqueName("HDRS");
        var prefix = await CreateStreamAsync(js, name);
        var shared = new NatsHeaders { ["Source"] = "ingestor" };
        await using var publisher = js.CreatePublisher();
        var a = await publisher.PublishAsync(prefix + "x", TestHelpers.Bytes("a"), msgId: "id-a", headers: shared);
        var b = await publisher.PublishAsync(prefix + "x", TestHelpers.Bytes("b"), msgId: "id-b", headers: shared);
        await js.PublishAsync(prefix + "x", TestHelpers.Bytes("c"), new NatsJSPubOpts { MsgId = "id-c" }, shared);
        await a;
        await b;
        Assert.Null(shared["Nats-Msg-Id"]);
        Assert.Equal(1, shared.Count);

        var consumer = await js.CreateOrUpdateConsumerAsync(name, new ConsumerConfig("check"));
        var msgs = await FetchAllAsync(consumer, new NatsJSFetchOpts { MaxMsgs = 3 });
        Assert.Equal(["id-a", "id-b", "id-c"], msgs.Select(m => m.Headers!["Nats-Msg-Id"]));
        Assert.All(msgs, m => Assert.Equal("ingestor", m.Headers!["Source"]));
    }

    [Fact]
    public async Task Over_any_INatsConnection_the_publisher_and_consumers_work_through_plain_subscriptions()
    {
        await using var conn = new DelegatingConnection(await TestHelpers.ConnectAsync(nats.Url));
        var js = new NatsJSContext(conn);
        var name = UniqueName("IFACE");
        var prefix = await CreateStreamAsync(js, name);
        await using (var publisher = js.CreatePublisher(new NatsJSPublisherOpts { MaxAcksInFlight = 16 }))
        {
            var futures = new List<NatsJSPubAckFuture>();
            for (var i = 0; i < 500; i++) futures.Add(await publisher.PublishAsync(prefix + "x", TestHelpers.Bytes("m" + i), msgId: "i" + i));
            var acks = new List<PubAck>();
            foreach (var f in futures) acks.Add(await f);
            Assert.Equal(Enumerable.Range(1, 500).Select(i => (ulong)i), acks.Select(a => a.Seq));
        }
        Assert.True(conn.Publishes >= 500);
        var consumer = await js.CreateOrUpdateConsumerAsync(name, new ConsumerConfig("iface"));
        var msgs = await FetchAllAsync(consumer, new NatsJSFetchOpts { MaxMsgs = 500 });
        Assert.Equal(500, msgs.Count);
        await msgs[0].AckAndWaitAsync();
    }
}
