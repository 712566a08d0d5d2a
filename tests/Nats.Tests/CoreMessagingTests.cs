using System.Diagnostics.Metrics;
using System.Text;
using Certstream.TestSupport;
using static Certstream.Nats.Tests.TestHelpers;

namespace Certstream.Nats.Tests;

public sealed class CoreMessagingTests(NatsServerFixture nats) : IClassFixture<NatsServerFixture>
{
    [Fact]
    public async Task A_published_message_reaches_a_subscriber_with_subject_and_payload()
    {
        await using var conn = await ConnectAsync(nats.Url);
        await using var sub = await conn.SubscribeAsync("core.basic");
        await conn.FlushAsync();
        await conn.PublishAsync("core.basic", Bytes("hello"));
        var msg = await sub.NextAsync();
        Assert.Equal("core.basic", msg.Subject);
        Assert.Equal("hello", Text(msg));
        Assert.Null(msg.ReplyTo);
        Assert.Null(msg.Headers);
        Assert.Equal(NatsConnectionState.Open, conn.State);
    }

    [Fact]
    public async Task Empty_payloads_and_reply_subjects_are_delivered()
    {
        await using var conn = await ConnectAsync(nats.Url);
        await using var sub = await conn.SubscribeAsync("core.empty");
        await conn.FlushAsync();
        await conn.PublishAsync("core.empty", replyTo: "some.reply");
        var msg = await sub.NextAsync();
        Assert.True(msg.Data.IsEmpty);
        Assert.Equal("some.reply", msg.ReplyTo);
    }

    [Fact]
    public async Task Headers_keep_order_case_and_multiple_values()
    {
        await using var conn = await ConnectAsync(nats.Url);
        await using var sub = await conn.SubscribeAsync("core.headers");
        await conn.FlushAsync();
        var headers = new NatsHeaders();
        headers.Add("X-Trace", "abc");
        headers.Add("x-trace", "lower");
        headers.Add("Multi", "one");
        headers.Add("Multi", "two");
        await conn.PublishAsync("core.headers", Bytes("body"), headers);
        var msg = await sub.NextAsync();
        Assert.Equal("body", Text(msg));
        Assert.NotNull(msg.Headers);
        Assert.Equal("abc", msg.Headers!["X-Trace"]);
        Assert.Equal("lower", msg.Headers["x-trace"]);
        Assert.Equal(["one", "two"], msg.Headers.GetValues("Multi"));
        Assert.Equal(0, msg.StatusCode);
        Assert.Equal(["X-Trace", "x-trace", "Multi", "Multi"], msg.Headers.Select(h => h.Key));
    }

    [Fact]
    public async Task Wildcard_subscriptions_see_the_published_subject()
    {
        await using var conn = await ConnectAsync(nats.Url);
        await using var star = await conn.SubscribeAsync("core.wild.*");
        await using var tail = await conn.SubscribeAsync("core.wild.>");
        await conn.FlushAsync();
        await conn.PublishAsync("core.wild.a", Bytes("1"));
        await conn.PublishAsync("core.wild.a.b", Bytes("2"));
        Assert.Equal("core.wild.a", (await star.NextAsync()).Subject);
        Assert.Equal("core.wild.a", (await tail.NextAsync()).Subject);
        Assert.Equal("core.wild.a.b", (await tail.NextAsync()).Subject);
        await conn.FlushAsync();
        Assert.False(star.Msgs.TryRead(out _));
    }

    [Fact]
    public async Task A_queue_group_delivers_each_message_to_one_member()
    {
        await using var conn = await ConnectAsync(nats.Url);
        await using var a = await conn.SubscribeAsync("core.queue", "workers");
        await using var b = await conn.SubscribeAsync("core.queue", "workers");
        await using var plain = await conn.SubscribeAsync("core.queue");
        await conn.FlushAsync();
        for (var i = 0; i < 100; i++) await conn.PublishAsync("core.queue", Bytes(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        await conn.FlushAsync();
        for (var i = 0; i < 100; i++) await plain.NextAsync();
        await conn.FlushAsync();
        Assert.Equal(100, a.Msgs.Count + b.Msgs.Count);
        Assert.True(a.Msgs.Count > 0 && b.Msgs.Count > 0, $"both members should get some: {a.Msgs.Count}/{b.Msgs.Count}");
    }

    [Fact]
    public async Task Auto_unsubscribe_after_n_messages_completes_the_subscription()
    {
        await using var conn = await ConnectAsync(nats.Url);
        var sub = await conn.SubscribeAsync("core.max", opts: new NatsSubOpts { MaxMsgs = 3 });
        await conn.FlushAsync();
        for (var i = 0; i < 10; i++) await conn.PublishAsync("core.max", Bytes("x"));
        var received = new List<NatsMsg>();
        using var cts = new CancellationTokenSource(Wait);
        await foreach (var msg in sub.WithCancellation(cts.Token)) received.Add(msg);
        Assert.Equal(3, received.Count);
    }

    [Fact]
    public async Task Unsubscribe_stops_delivery_and_ends_the_enumeration()
    {
        await using var conn = await ConnectAsync(nats.Url);
        var sub = await conn.SubscribeAsync("core.unsub");
        await conn.FlushAsync();
        await conn.PublishAsync("core.unsub", Bytes("before"));
        Assert.Equal("before", Text(await sub.NextAsync()));
        await sub.UnsubscribeAsync();
        await conn.PublishAsync("core.unsub", Bytes("after"));
        await conn.FlushAsync();
        Assert.False(sub.Msgs.TryRead(out _));
        Assert.True(sub.Msgs.Completion.IsCompleted);
    }

    [Fact]
    public async Task Echo_is_off_by_default_and_can_be_enabled()
    {
        Assert.False(new NatsOpts().Echo);
        await using var quiet = await ConnectAsync(nats.Url, o => o with { Echo = false });
        await using var quietSub = await quiet.SubscribeAsync("core.echo");
        await using var loud = await ConnectAsync(nats.Url, o => o with { Echo = true });
        await using var loudSub = await loud.SubscribeAsync("core.echo");
        await quiet.FlushAsync();
        await loud.FlushAsync();
        await quiet.PublishAsync("core.echo", Bytes("from-quiet"));
        await loud.PublishAsync("core.echo", Bytes("from-loud"));
        await quiet.FlushAsync();
        await loud.FlushAsync();
        Assert.Equal("from-loud", Text(await quietSub.NextAsync()));
        var seenByLoud = new[] { Text(await loudSub.NextAsync()), Text(await loudSub.NextAsync()) };
        Assert.Equal(["from-loud", "from-quiet"], seenByLoud.Order());
        await quiet.FlushAsync();
        Assert.False(quietSub.Msgs.TryRead(out _)); // its own message did not come back
    }

    [Fact]
    public async Task Request_gets_the_reply_through_the_shared_inbox()
    {
        await using var server = await ConnectAsync(nats.Url);
        await using var client = await ConnectAsync(nats.Url);
        await using var sub = await server.SubscribeAsync("core.rpc");
        await server.FlushAsync();
        var responder = Task.Run(async () =>
        {
            await foreach (var req in sub)
            {
                var h = new NatsHeaders { { "Answered-By", "test" } };
                await server.PublishAsync(req.ReplyTo!, Bytes("re:" + Text(req)), h);
            }
        });
        var replies = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => client.RequestAsync("core.rpc", Bytes("q" + i)).AsTask()));
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("re:q" + i, Text(replies[i]));
            Assert.Equal("test", replies[i].Headers!["Answered-By"]);
            Assert.StartsWith(client.InboxPrefix, replies[i].Subject, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_request_without_responders_fails_fast_with_no_responders()
    {
        await using var conn = await ConnectAsync(nats.Url);
        var started = DateTime.UtcNow;
        await Assert.ThrowsAsync<NatsNoRespondersException>(async () => await conn.RequestAsync("core.nobody", Bytes("?"), timeout: TimeSpan.FromSeconds(5)));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(4), "503 must arrive before the timeout");
    }

    [Fact]
    public async Task A_request_nobody_answers_times_out()
    {
        await using var conn = await ConnectAsync(nats.Url);
        await using var silent = await conn.SubscribeAsync("core.silent");
        await conn.FlushAsync();
        await Assert.ThrowsAsync<NatsRequestTimeoutException>(async () => await conn.RequestAsync("core.silent", Bytes("?"), timeout: TimeSpan.FromMilliseconds(200)));
        Assert.Equal(1, silent.Msgs.Count);
    }

    [Fact]
    public async Task A_payload_above_max_payload_is_rejected_before_sending()
    {
        await using var conn = await ConnectAsync(nats.Url);
        var max = conn.ServerInfo!.MaxPayload;
        Assert.Equal(1024 * 1024, max);
        var ex = await Assert.ThrowsAsync<NatsPayloadTooLargeException>(async () => await conn.PublishAsync("core.big", new byte[max + 1]));
        Assert.Contains("max_payload", ex.Message, StringComparison.Ordinal);
        var headers = new NatsHeaders { { "K", "v" } };
        await Assert.ThrowsAsync<NatsPayloadTooLargeException>(async () => await conn.PublishAsync("core.big", new byte[max - 5], headers));
        // The connection is still usable and exactly max_payload is fine.
        await using var sub = await conn.SubscribeAsync("core.big");
        await conn.FlushAsync();
        await conn.PublishAsync("core.big", new byte[max]);
        Assert.Equal(max, (await sub.NextAsync()).Data.Length);
        Assert.Equal(NatsConnectionState.Open, conn.State);
    }

    [Fact]
    public async Task Invalid_subjects_are_rejected_locally()
    {
        await using var conn = await ConnectAsync(nats.Url);
        await Assert.ThrowsAsync<ArgumentException>(async () => await conn.PublishAsync("has space", Bytes("x")));
        await Assert.ThrowsAsync<ArgumentException>(async () => await conn.PublishAsync("", Bytes("x")));
        await Assert.ThrowsAsync<ArgumentException>(async () => await conn.SubscribeAsync("a\tb"));
        await conn.FlushAsync();
        Assert.Equal(NatsConnectionState.Open, conn.State);
    }

    [Fact]
    public async Task Flush_completes_after_the_server_processed_earlier_commands()
    {
        await using var pub = await ConnectAsync(nats.Url);
        await using var subConn = await ConnectAsync(nats.Url);
        await using var sub = await subConn.SubscribeAsync("core.flush");
        await subConn.FlushAsync();
        for (var i = 0; i < 1000; i++) await pub.PublishAsync("core.flush", Bytes("m"));
        await pub.FlushAsync();
        await subConn.FlushAsync();
        Assert.Equal(1000, sub.Msgs.Count);
    }

    [Fact]
    public async Task Metrics_count_messages_and_bytes_with_the_connection_tag()
    {
        var seen = new Dictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (inst, l) => { if (inst.Meter.Name == "Certstream.Nats") l.EnableMeasurementEvents(inst); };
        listener.SetMeasurementEventCallback<long>((inst, value, tags, _) =>
        {
            foreach (var t in tags)
                if (t.Key == "connection" && (string?)t.Value == "metrics-conn") lock (seen) seen[inst.Name] = value;
        });
        listener.Start();
        await using var conn = await ConnectAsync(nats.Url, o => o with { Name = "metrics-conn", Echo = true });
        await using var sub = await conn.SubscribeAsync("core.metrics");
        await conn.FlushAsync();
        for (var i = 0; i < 5; i++) await conn.PublishAsync("core.metrics", new byte[10]);
        for (var i = 0; i < 5; i++) await sub.NextAsync();
        listener.RecordObservableInstruments();
        lock (seen)
        {
            Assert.Equal(5, seen["nats.messages.out"]);
            Assert.Equal(50, seen["nats.bytes.out"]);
            Assert.Equal(5, seen["nats.messages.in"]);
            Assert.Equal(50, seen["nats.bytes.in"]);
            Assert.Equal(0, seen["nats.reconnects"]);
            Assert.Equal(0, seen["nats.messages.dropped"]);
        }
    }

    [Fact]
    public async Task Concurrent_publishers_interleave_whole_messages_in_per_publisher_order()
    {
        await using var pub = await ConnectAsync(nats.Url, o => o with { WriteBufferSize = 4096 }); // force back-pressure
        await using var subConn = await ConnectAsync(nats.Url);
        await using var sub = await subConn.SubscribeAsync("core.concurrent");
        await subConn.FlushAsync();
        const int publishers = 8, each = 5000;
        await Task.WhenAll(Enumerable.Range(0, publishers).Select(p => Task.Run(async () =>
        {
            var headers = new NatsHeaders { { "P", p.ToString(System.Globalization.CultureInfo.InvariantCulture) } };
            for (var i = 0; i < each; i++)
                await pub.PublishAsync("core.concurrent", Bytes($"{p}:{i}"), i % 2 == 0 ? headers : null);
        })));
        await pub.FlushAsync();
        var next = new int[publishers];
        for (var n = 0; n < publishers * each; n++)
        {
            var msg = await sub.NextAsync();
            var parts = Text(msg).Split(':');
            var p = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(next[p]++, int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture));
            if (msg.Headers is not null) Assert.Equal(parts[0], msg.Headers["P"]);
        }
        Assert.All(next, n => Assert.Equal(each, n));
    }

    [Fact]
    public async Task Server_info_is_exposed_after_connect()
    {
        await using var conn = await ConnectAsync(nats.Url);
        var info = conn.ServerInfo!;
        Assert.True(info.Headers);
        Assert.True(info.JetStream);
        Assert.StartsWith("2.", info.Version, StringComparison.Ordinal);
        Assert.Equal(NatsConnectionState.Open, conn.State);
    }

    [Fact]
    public async Task Drain_lets_queued_messages_be_read_then_closes()
    {
        var conn = await ConnectAsync(nats.Url, o => o with { Echo = true });
        var sub = await conn.SubscribeAsync("core.drain");
        await conn.FlushAsync();
        for (var i = 0; i < 50; i++) await conn.PublishAsync("core.drain", Bytes("d"));
        await conn.DrainAsync();
        Assert.Equal(NatsConnectionState.Closed, conn.State);
        var count = 0;
        await foreach (var _ in sub) count++;
        Assert.Equal(50, count);
        await Assert.ThrowsAsync<NatsConnectionClosedException>(async () => await conn.PublishAsync("core.drain", Bytes("late")));
    }

    [Fact]
    public async Task Dispose_closes_and_raises_closed()
    {
        var conn = await ConnectAsync(nats.Url);
        var closed = Next<NatsConnectionEventArgs>(h => conn.Closed += h);
        var sub = await conn.SubscribeAsync("core.dispose");
        await conn.DisposeAsync();
        await closed.WaitAsync(Wait);
        Assert.Equal(NatsConnectionState.Closed, conn.State);
        Assert.True(sub.Msgs.Completion.IsCompleted);
    }
}
