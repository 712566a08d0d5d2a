using System.Net.WebSockets;

namespace Certstream.Edge.Tests;

public sealed class MetricsTests
{
    [Fact]
    public async Task Instruments_report_clients_messages_bytes_and_disconnects_by_stream()
    {
        await using var edge = await Edge.StartAsync(Edge.Settings() with { MaxClients = 3 });
        using var metrics = new MetricsRecorder(edge);
        using var lite1 = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"));
        using var lite2 = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"));
        using var full = await EdgeClient.ConnectAsync(edge.WebSocketUri("/full-stream"));
        await Eventually.TrueAsync(() => edge.Hub.TotalClients == 3, "three clients registered");
        Assert.Equal(503, await EdgeClient.RefusedStatusAsync(edge.WebSocketUri("/")));
        var messages = Enumerable.Range(0, 3).Select(i => Messages.Certificate(i)).ToArray();

        foreach (var message in messages) edge.Hub.Publish(StreamKind.Lite, "log_a", message);
        foreach (var _ in messages)
        {
            await lite1.ReceiveTextAsync();
            await lite2.ReceiveTextAsync();
        }
        await lite1.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        await Eventually.TrueAsync(() => edge.Hub.ClientCount(StreamKind.Lite) == 1, "closed client removed");

        Assert.Equal(1, metrics.Value("certstream_edge_clients", "lite"));
        Assert.Equal(1, metrics.Value("certstream_edge_clients", "full"));
        Assert.Equal(3, metrics.Value("certstream_edge_messages_received_total", "lite"));
        Assert.Equal(6, metrics.Value("certstream_edge_messages_sent_total", "lite"));
        Assert.Equal(0, metrics.Value("certstream_edge_messages_sent_total", "full"));
        Assert.Equal(2 * messages.Sum(m => m.Length), metrics.Value("certstream_edge_sent_bytes_total", "lite"));
        Assert.Equal(0, metrics.Value("certstream_edge_messages_skipped_total", "lite"));
        Assert.Equal(1, metrics.Value("certstream_edge_disconnects_total", "client_closed"));
        Assert.Equal(1, metrics.Value("certstream_edge_refusals_total", "max_clients"));
    }
}
