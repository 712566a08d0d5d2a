using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Json;

namespace Certstream.Edge.Tests;

public sealed class SlowClientTests
{
    private const int MessageSize = 10_000;

    [Fact]
    public async Task A_client_that_never_reads_does_not_reduce_what_a_fast_client_receives_and_is_counted_as_skipping()
    {
        await using var edge = await Edge.StartAsync(Edge.Settings() with
        {
            ClientBuffer = 64 * 1024,
            SlowClientTimeout = TimeSpan.FromMinutes(10),
        });
        using var metrics = new MetricsRecorder(edge);
        using var stalled = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"));
        using var fast = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"));
        await Eventually.TrueAsync(() => edge.Hub.ClientCount(StreamKind.Lite) == 2, "two clients registered");
        var received = 0;
        var reading = Task.Run(async () =>
        {
            for (var i = 0; i < 1000; i++)
            {
                using var json = JsonDocument.Parse(await fast.ReceiveTextAsync());
                Assert.Equal(i, json.RootElement.GetProperty("data").GetProperty("cert_index").GetInt32());
                Interlocked.Increment(ref received);
            }
        });

        // 10 MB in all: far more than the stalled client's queue and both TCP buffers hold. Batches stay within the
        // fast client's own 64 KiB queue, so only the stalled one can fall behind.
        for (var i = 0; i < 1000; i++)
        {
            edge.Hub.Publish(StreamKind.Lite, "log_a", Messages.Certificate(i, padding: MessageSize));
            if (i % 5 == 4)
            {
                var target = i + 1;
                await Eventually.TrueAsync(() => Volatile.Read(ref received) >= target || reading.IsFaulted, $"fast client got {target}");
            }
        }
        await reading;

        Assert.Equal(1000, received);
        var skipped = edge.Hub.Totals(StreamKind.Lite).MessagesSkipped;
        Assert.True(skipped > 100, $"the stalled client skipped {skipped}");
        Assert.Equal(skipped, metrics.Value("certstream_edge_messages_skipped_total", "lite"));
        using var http = Edge.Http(edge);
        using var stats = JsonDocument.Parse(await http.GetStringAsync("/stats"));
        Assert.Equal(skipped, stats.RootElement.GetProperty("skipped_messages").GetInt64());
        Assert.Equal(2, edge.Hub.ClientCount(StreamKind.Lite)); // slow, but not for slow_client_timeout
        Assert.Equal(WebSocketState.Open, stalled.State);
    }

    [Fact]
    public async Task A_client_that_stays_full_for_slow_client_timeout_is_closed_with_1013()
    {
        await using var edge = await Edge.StartAsync(
            Edge.Settings() with
            {
                ClientBuffer = 64 * 1024,
                SlowClientTimeout = TimeSpan.FromSeconds(1),
            },
            Edge.Tuning() with { CloseTimeout = TimeSpan.FromSeconds(20) }); // time for the test to drain the TCP buffers and read the close
        using var metrics = new MetricsRecorder(edge);
        using var stalled = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"));
        await Eventually.TrueAsync(() => edge.Hub.ClientCount(StreamKind.Lite) == 1, "client registered");

        var clock = Stopwatch.StartNew();
        TimeSpan? firstSkip = null;
        var index = 0;
        while (edge.Hub.SlowClientsClosed == 0)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the stalled client was never closed");
            edge.Hub.Publish(StreamKind.Lite, "log_a", Messages.Certificate(index++, padding: MessageSize));
            if (firstSkip is null && edge.Hub.Totals(StreamKind.Lite).MessagesSkipped > 0) firstSkip = clock.Elapsed;
            await Task.Delay(2); // a steady stream, as from NATS
        }
        var decided = clock.Elapsed;

        Assert.NotNull(firstSkip);
        Assert.True(decided - firstSkip >= TimeSpan.FromSeconds(0.9), $"closed {decided - firstSkip} after the queue filled");
        Assert.Equal((WebSocketCloseStatus)1013, await stalled.ReceiveCloseAsync(TimeSpan.FromSeconds(15)));
        await Eventually.TrueAsync(() => edge.Hub.TotalClients == 0, "session removed");
        Assert.Equal(1, metrics.Value("certstream_edge_disconnects_total", "slow_client"));
    }
}
