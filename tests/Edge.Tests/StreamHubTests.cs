namespace Certstream.Edge.Tests;

public sealed class StreamHubTests
{
    [Fact]
    public async Task Publishing_neither_copies_nor_serializes_per_client()
    {
        const int clients = 20;
        await using var edge = await Edge.StartAsync();
        var sockets = new List<System.Net.WebSockets.ClientWebSocket>();
        for (var i = 0; i < clients; i++) sockets.Add(await EdgeClient.ConnectAsync(edge.WebSocketUri("/")));
        await Eventually.TrueAsync(() => edge.Hub.ClientCount(StreamKind.Lite) == clients, "clients registered");
        var message = Messages.Certificate(1, padding: 2000);
        for (var i = 0; i < 100; i++) edge.Hub.Publish(StreamKind.Lite, "log_a", message); // warm up

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 500; i++) edge.Hub.Publish(StreamKind.Lite, "log_a", message);
        var perClient = (GC.GetAllocatedBytesForCurrentThread() - before) / 500.0 / clients;

        // A copy would be 2 KB per client. What remains is amortized queue growth, including the thread pool's
        // queue when a waiting writer is woken.
        Assert.True(perClient < 64, $"{perClient:F1} bytes allocated per client per publish");
        Assert.Equal(0, edge.Hub.Totals(StreamKind.Lite).MessagesSkipped);
        foreach (var socket in sockets) socket.Dispose();
    }
}
