using System.Diagnostics.Metrics;
using Certstream.TestSupport;
using static Certstream.Nats.Tests.TestHelpers;

namespace Certstream.Nats.Tests;

public sealed class SlowConsumerTests(NatsServerFixture nats) : IClassFixture<NatsServerFixture>
{
    [Fact]
    public async Task A_slow_subscription_drops_and_counts_without_stopping_a_fast_one()
    {
        long droppedMetric = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (inst, l) => { if (inst.Meter.Name == "Certstream.Nats" && inst.Name == "nats.messages.dropped") l.EnableMeasurementEvents(inst); };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var t in tags) if (t.Key == "connection" && (string?)t.Value == "slow-test") Interlocked.Exchange(ref droppedMetric, value);
        });
        listener.Start();

        await using var conn = await ConnectAsync(nats.Url, o => o with { Name = "slow-test" });
        var slowEvents = 0;
        conn.SlowConsumerDetected += (_, _) => Interlocked.Increment(ref slowEvents);
        var firstSlow = Next<NatsSlowConsumerEventArgs>(h => conn.SlowConsumerDetected += h);
        await using var slow = await conn.SubscribeAsync("sc.data", opts: new NatsSubOpts { PendingMsgsLimit = 10 });
        await using var fast = await conn.SubscribeAsync("sc.data");
        await conn.FlushAsync();

        const int count = 2000;
        var reader = Task.Run(async () =>
        {
            var n = 0;
            await foreach (var _ in fast) if (++n == count) return n;
            return n;
        });
        for (var i = 0; i < count; i++) await conn.PublishAsync("sc.data", Bytes("payload"));
        await conn.FlushAsync();

        Assert.Equal(count, await reader.WaitAsync(Wait));
        Assert.Equal(10, slow.Msgs.Count);
        Assert.Equal(count - 10, slow.DroppedCount);
        Assert.Equal(0, fast.DroppedCount);
        Assert.Equal("sc.data", (await firstSlow.WaitAsync(Wait)).Subject);
        listener.RecordObservableInstruments();
        Assert.Equal(count - 10, Interlocked.Read(ref droppedMetric));
        Assert.Equal(1, Volatile.Read(ref slowEvents)); // once per episode, not per dropped message
    }

    [Fact]
    public async Task The_byte_bound_drops_large_messages_and_reading_frees_room()
    {
        await using var conn = await ConnectAsync(nats.Url);
        await using var sub = await conn.SubscribeAsync("sc.bytes", opts: new NatsSubOpts { PendingBytesLimit = 2500 });
        await conn.FlushAsync();
        for (var i = 0; i < 5; i++) await conn.PublishAsync("sc.bytes", new byte[1000]);
        await conn.FlushAsync();
        Assert.Equal(2, sub.Msgs.Count);
        Assert.Equal(3, sub.DroppedCount);
        Assert.True(sub.Msgs.TryRead(out _));
        Assert.Equal(1000, sub.PendingBytes);
        await conn.PublishAsync("sc.bytes", new byte[1000]);
        await conn.FlushAsync();
        Assert.Equal(2, sub.Msgs.Count);
        Assert.Equal(3, sub.DroppedCount);
    }
}
