using System.Diagnostics;
using System.Diagnostics.Metrics;
using Certstream.TestSupport;
using static Certstream.Nats.Tests.TestHelpers;

namespace Certstream.Nats.Tests;

public sealed class ReconnectTests
{
    [Fact]
    public async Task After_a_server_crash_the_client_reconnects_within_two_seconds_and_subscriptions_resume()
    {
        long reconnectsMetric = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (inst, l) => { if (inst.Meter.Name == "Certstream.Nats" && inst.Name == "nats.reconnects") l.EnableMeasurementEvents(inst); };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var t in tags) if (t.Key == "connection" && (string?)t.Value == "crash-test") Interlocked.Exchange(ref reconnectsMetric, value);
        });
        listener.Start();
        await using var server = await NatsServer.StartAsync();
        // Default reconnect options: the claim is about the defaults.
        await using var conn = new NatsConnection(new NatsOpts { Url = server.Url, Echo = true, Name = "crash-test" });
        await conn.ConnectAsync();
        await using var sub = await conn.SubscribeAsync("rc.stream", opts: new NatsSubOpts { PendingMsgsLimit = 1_000_000 });
        await using var queued = await conn.SubscribeAsync("rc.queue", "q", new NatsSubOpts { MaxMsgs = 3 });
        await conn.FlushAsync();

        // Mid-stream: a steady publisher runs across the crash.
        using var stop = new CancellationTokenSource();
        var publisher = Task.Run(async () =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                try { await conn.PublishAsync("rc.stream", Bytes("m" + i++)); }
                catch (NatsReconnectBufferFullException) { }
                await Task.Delay(1); // pacing (~1k msgs/s), so the outage buffers hundreds of messages, not the 64k queue bound

            }
        });
        await sub.NextAsync();
        await conn.PublishAsync("rc.queue", Bytes("q1"));
        Assert.Equal("q1", Text(await queued.NextAsync()));

        await using var service = await conn.SubscribeAsync("rc.service");
        using var stopService = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            await foreach (var req in service.WithCancellation(stopService.Token)) await conn.PublishAsync(req.ReplyTo!, Bytes("pong"));
        });
        Assert.Equal("pong", Text(await conn.RequestAsync("rc.service", Bytes("ping"))));

        var disconnected = Next<NatsConnectionEventArgs>(h => conn.Disconnected += h);
        var reconnected = Next<NatsConnectionEventArgs>(h => conn.Reconnected += h);
        server.Kill();
        await disconnected.WaitAsync(Wait);
        Assert.Equal(NatsConnectionState.Reconnecting, conn.State);
        stop.Cancel();
        await publisher;

        // Published while the server is down: buffered, then sent after the re-SUBs.
        await conn.PublishAsync("rc.stream", Bytes("while-down"));
        await conn.PublishAsync("rc.queue", Bytes("q2"));
        var flushDuringOutage = conn.FlushAsync().AsTask();

        await server.StartAgainAsync();
        var sinceBack = Stopwatch.StartNew();
        await reconnected.WaitAsync(Wait);
        Assert.True(sinceBack.Elapsed < TimeSpan.FromSeconds(2), $"reconnected {sinceBack.Elapsed} after the server came back");
        await flushDuringOutage.WaitAsync(Wait);
        Assert.Equal(NatsConnectionState.Open, conn.State);
        listener.RecordObservableInstruments();
        Assert.Equal(1, Interlocked.Read(ref reconnectsMetric));

        // Drain what was queued before the crash, then find the buffered message and the live ones.
        using var cts = new CancellationTokenSource(Wait);
        var sawBuffered = false;
        while (!sawBuffered) sawBuffered = Text(await sub.Msgs.ReadAsync(cts.Token)) == "while-down";
        await conn.PublishAsync("rc.stream", Bytes("after"));
        Assert.Equal("after", Text(await sub.NextAsync()));
        // The auto-unsubscribe limit carried over: 1 was delivered before, so 2 remain.
        Assert.Equal("q2", Text(await queued.NextAsync()));
        await conn.PublishAsync("rc.queue", Bytes("q3"));
        await conn.PublishAsync("rc.queue", Bytes("q4"));
        Assert.Equal("q3", Text(await queued.NextAsync()));
        await queued.Msgs.Completion.WaitAsync(Wait);
        Assert.False(queued.Msgs.TryRead(out _));

        // The muxed request inbox (created before the crash) was re-subscribed too.
        Assert.Equal("pong", Text(await conn.RequestAsync("rc.service", Bytes("ping"))));
        stopService.Cancel();
    }

    [Fact]
    public async Task Publishing_while_disconnected_fails_clearly_once_the_reconnect_buffer_is_full()
    {
        await using var server = await NatsServer.StartAsync();
        await using var conn = await ConnectAsync(server.Url, o => o with { ReconnectBufferSize = 16 * 1024 });
        var disconnected = Next<NatsConnectionEventArgs>(h => conn.Disconnected += h);
        server.Kill();
        await disconnected.WaitAsync(Wait);
        var payload = new byte[1000];
        var accepted = 0;
        var ex = await Assert.ThrowsAsync<NatsReconnectBufferFullException>(async () =>
        {
            for (var i = 0; i < 100; i++)
            {
                await conn.PublishAsync("rc.full", payload);
                accepted++;
            }
        });
        Assert.InRange(accepted, 10, 16);
        Assert.Contains("reconnect buffer", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_reconnect_a_lost_connection_closes()
    {
        await using var server = await NatsServer.StartAsync();
        await using var conn = await ConnectAsync(server.Url, o => o with { AllowReconnect = false });
        await using var sub = await conn.SubscribeAsync("rc.none");
        var closed = Next<NatsConnectionEventArgs>(h => conn.Closed += h);
        server.Kill();
        var args = await closed.WaitAsync(Wait);
        Assert.NotNull(args.Error);
        Assert.Equal(NatsConnectionState.Closed, conn.State);
        await sub.Msgs.Completion.WaitAsync(Wait);
    }
}
