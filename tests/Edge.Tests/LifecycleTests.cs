using System.Net.WebSockets;

namespace Certstream.Edge.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public async Task A_thousand_connect_disconnect_cycles_leave_no_client_slot_or_session_behind()
    {
        await using var edge = await Edge.StartAsync();
        using var metrics = new MetricsRecorder(edge);
        var paths = new[] { "/", "/full-stream", "/domains-only/" };

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < 250; i++)
            {
                var client = await EdgeClient.ConnectAsync(edge.WebSocketUri(paths[i % paths.Length]));
                if (i % 2 == 0)
                    await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
                client.Dispose(); // odd cycles: dropped without a close handshake
            }
        })));

        await Eventually.TrueAsync(() => edge.Hub.TotalClients == 0 && edge.Admission.Total == 0 && edge.Admission.AddressCount == 0,
            "every session removed and every slot released");
        await Eventually.TrueAsync(() => metrics.Value("certstream_edge_disconnects_total", "client_closed")
            + metrics.Value("certstream_edge_disconnects_total", "connection_lost") == 1000, "a disconnect counted per cycle");
        Assert.Equal(0, metrics.Value("certstream_edge_clients", "lite") + metrics.Value("certstream_edge_clients", "full")
            + metrics.Value("certstream_edge_clients", "domains"));
        // Still serving after all that.
        using var client = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"));
        await Eventually.TrueAsync(() => edge.Hub.TotalClients == 1, "a new client registered");
        edge.Hub.Publish(StreamKind.Lite, "log_a", Messages.Certificate(1));
        Assert.Contains("\"cert_index\":1", await client.ReceiveTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stopping_the_edge_closes_clients_with_1001()
    {
        var edge = await Edge.StartAsync();
        using var client = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"));
        await Eventually.TrueAsync(() => edge.Hub.TotalClients == 1, "client registered");
        var closing = client.ReceiveCloseAsync();

        await edge.DisposeAsync();

        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await closing);
    }
}
