using System.Diagnostics;
using System.Net.WebSockets;
using Certstream.TestSupport;

namespace Certstream.Edge.Tests;

public sealed class KeepaliveTests
{
    [Fact]
    public async Task A_client_that_sends_nothing_is_closed_with_1008_after_client_timeout()
    {
        await using var edge = await Edge.StartAsync(Edge.Settings() with { ClientTimeout = TimeSpan.FromSeconds(1) });
        var clock = Stopwatch.StartNew();
        using var client = await EdgeClient.ConnectAsync(edge.WebSocketUri("/")); // no pings of its own, none from the server

        var status = await client.ReceiveCloseAsync();

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, status);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"closed after {clock.Elapsed}, before client_timeout");
        await Eventually.TrueAsync(() => edge.Hub.TotalClients == 0, "session removed");
    }

    [Fact]
    public async Task A_half_open_connection_is_cleaned_up_by_the_timeout()
    {
        await using var edge = await Edge.StartAsync(
            Edge.Settings() with { ClientTimeout = TimeSpan.FromSeconds(1) },
            Edge.Tuning() with { CloseTimeout = TimeSpan.FromMilliseconds(500) });
        // Upgrades, then never reads or writes again: like a peer that vanished without a FIN.
        await using var raw = await RawWebSocket.ConnectAsync(edge.BaseUri, "/");
        await Eventually.TrueAsync(() => edge.Hub.TotalClients == 1, "client registered");

        await Eventually.TrueAsync(() => edge.Hub.TotalClients == 0 && edge.Admission.Total == 0, "half-open session removed");

        var close = await raw.ReadNonPingFrameAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(RawWebSocket.OpClose, close?.Opcode);
        Assert.Equal(1008, close?.CloseCode);
        Assert.True(await raw.IsClosedByServerAsync(TimeSpan.FromSeconds(5)), "TCP connection closed by the server");
    }

    [Fact]
    public async Task The_server_pings_a_quiet_client()
    {
        await using var edge = await Edge.StartAsync(Edge.Settings() with { PingInterval = TimeSpan.FromSeconds(1) });
        await using var raw = await RawWebSocket.ConnectAsync(edge.BaseUri, "/");

        var frame = await raw.ReadFrameAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(RawWebSocket.OpPing, frame?.Opcode);
    }

    [Fact]
    public async Task A_client_that_only_answers_server_pings_stays_connected()
    {
        // certstream-js (Node) never sends anything of its own: its automatic pongs must keep it alive (as Calidog's servers expected).
        await using var edge = await Edge.StartAsync(Edge.Settings() with
        {
            PingInterval = TimeSpan.FromMilliseconds(500),
            ClientTimeout = TimeSpan.FromSeconds(2.5),
        });
        using var client = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"));
        var receiving = client.ReceiveAsync(TimeSpan.FromSeconds(30)); // a pending receive answers pings

        await Task.Delay(TimeSpan.FromSeconds(5)); // twice client_timeout: the behaviour under test is "nothing happens"

        Assert.False(receiving.IsCompleted, "the client was closed although it answered every ping");
        Assert.False(Assert.Single(edge.Hub.Sessions(StreamKind.Lite)).IsClosing);
        edge.Hub.Publish(StreamKind.Lite, "log_a", Messages.Certificate(1));
        Assert.Equal(WebSocketMessageType.Text, (await receiving).Type);
    }

    [Fact]
    public async Task Client_keepalive_frames_count_as_activity()
    {
        await using var edge = await Edge.StartAsync(Edge.Settings() with { ClientTimeout = TimeSpan.FromSeconds(1) });
        // ClientWebSocket's own keep-alive sends unsolicited pongs; nothing else is sent and nothing is read.
        using var client = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"),
            options => options.KeepAliveInterval = TimeSpan.FromMilliseconds(200));
        await Eventually.TrueAsync(() => edge.Hub.TotalClients == 1, "client registered");

        await Task.Delay(TimeSpan.FromSeconds(3)); // three times client_timeout

        var session = Assert.Single(edge.Hub.Sessions(StreamKind.Lite));
        Assert.False(session.IsClosing, $"closing: {session.Reason}");
        Assert.Equal(WebSocketState.Open, client.State);
    }
}
