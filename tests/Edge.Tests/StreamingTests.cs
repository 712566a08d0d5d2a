using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Certstream.TestSupport;

namespace Certstream.Edge.Tests;

public sealed class StreamingTests
{
    [Fact]
    public async Task Messages_arrive_intact_and_in_order_as_one_text_frame_each()
    {
        await using var edge = await Edge.StartAsync();
        await using var raw = await RawWebSocket.ConnectAsync(edge.BaseUri, "/");
        await Eventually.TrueAsync(() => edge.Hub.ClientCount(StreamKind.Lite) == 1, "client registered");
        var sent = Enumerable.Range(0, 200).Select(i => Messages.Certificate(i, padding: i * 50)).ToArray();

        foreach (var message in sent) edge.Hub.Publish(StreamKind.Lite, "log_a", message);

        foreach (var expected in sent)
        {
            var frame = await raw.ReadFrameAsync(TimeSpan.FromSeconds(10));
            Assert.NotNull(frame);
            Assert.True(frame.Fin, "each message is a single, final frame");
            Assert.Equal(RawWebSocket.OpText, frame.Opcode);
            Assert.Equal(expected, frame.Payload);
        }
    }

    [Theory]
    [InlineData("/", "/full-stream", "/domains-only")]
    [InlineData("/", "/full-stream/", "/domains-only/")]
    public async Task Each_stream_receives_its_own_variant_only(string litePath, string fullPath, string domainsPath)
    {
        await using var edge = await Edge.StartAsync();
        using var lite = await EdgeClient.ConnectAsync(edge.WebSocketUri(litePath));
        using var full = await EdgeClient.ConnectAsync(edge.WebSocketUri(fullPath));
        using var domains = await EdgeClient.ConnectAsync(edge.WebSocketUri(domainsPath));
        await Eventually.TrueAsync(() => edge.Hub.TotalClients == 3, "three clients registered");

        for (var i = 0; i < 10; i++)
        {
            edge.Hub.Publish(StreamKind.Full, "log_a", Messages.Certificate(i, "full"));
            edge.Hub.Publish(StreamKind.Lite, "log_a", Messages.Certificate(i, "lite"));
            edge.Hub.Publish(StreamKind.Domains, "log_a", Messages.Domains(i));
        }

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(Encoding.UTF8.GetString(Messages.Certificate(i, "lite")), await lite.ReceiveTextAsync());
            Assert.Equal(Encoding.UTF8.GetString(Messages.Certificate(i, "full")), await full.ReceiveTextAsync());
            Assert.Equal(Encoding.UTF8.GetString(Messages.Domains(i)), await domains.ReceiveTextAsync());
        }
    }

    [Fact]
    public async Task A_heartbeat_is_sent_to_an_idle_client()
    {
        await using var edge = await Edge.StartAsync(Edge.Settings() with { HeartbeatInterval = TimeSpan.FromMilliseconds(200) });
        using var client = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"));
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

        var text = await client.ReceiveTextAsync(TimeSpan.FromSeconds(5));

        using var json = JsonDocument.Parse(text);
        Assert.Equal("heartbeat", json.RootElement.GetProperty("message_type").GetString());
        var timestamp = json.RootElement.GetProperty("timestamp").GetDouble();
        Assert.InRange(timestamp, before - 1, before + 10);
        Assert.Equal(2, json.RootElement.EnumerateObject().Count());
    }

    [Fact]
    public async Task No_heartbeat_while_certificates_keep_the_client_busy()
    {
        await using var edge = await Edge.StartAsync(Edge.Settings() with { HeartbeatInterval = TimeSpan.FromMilliseconds(500) });
        using var client = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"));
        await Eventually.TrueAsync(() => edge.Hub.ClientCount(StreamKind.Lite) == 1, "client registered");

        // A message every 50 ms for 1.5 s: never 500 ms without one.
        var received = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            edge.Hub.Publish(StreamKind.Lite, "log_a", Messages.Certificate(i));
            received.Add(await client.ReceiveTextAsync());
            await Task.Delay(50);
        }

        Assert.DoesNotContain(received, text => text.Contains("heartbeat", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Frames_from_clients_are_read_and_ignored()
    {
        await using var edge = await Edge.StartAsync();
        await using var raw = await RawWebSocket.ConnectAsync(edge.BaseUri, "/");
        await Eventually.TrueAsync(() => edge.Hub.ClientCount(StreamKind.Lite) == 1, "client registered");

        await raw.SendFrameAsync(RawWebSocket.OpText, "ping"u8.ToArray());
        await raw.SendFrameAsync(RawWebSocket.OpText, "{not json"u8.ToArray());
        await raw.SendFrameAsync(RawWebSocket.OpBinary, new byte[] { 0, 1, 2, 255 });
        await raw.SendFrameAsync(RawWebSocket.OpText, "frag"u8.ToArray(), fin: false);
        await raw.SendFrameAsync(RawWebSocket.OpContinuation, "mented"u8.ToArray());
        await raw.SendFrameAsync(RawWebSocket.OpText, new byte[ClientSession.MaxClientMessageBytes]);
        await raw.SendFrameAsync(RawWebSocket.OpPing, "hello"u8.ToArray());
        var pong = await raw.ReadFrameAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(RawWebSocket.OpPong, pong?.Opcode);
        Assert.Equal("hello", pong?.Text);

        edge.Hub.Publish(StreamKind.Lite, "log_a", Messages.Certificate(7));
        var frame = await raw.ReadFrameAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(Messages.Certificate(7), frame?.Payload);
        Assert.Equal(1, edge.Hub.ClientCount(StreamKind.Lite));
    }

    [Fact]
    public async Task A_client_message_over_4_KiB_closes_the_connection_with_1009()
    {
        await using var edge = await Edge.StartAsync();
        using var client = await EdgeClient.ConnectAsync(edge.WebSocketUri("/"));

        await client.SendAsync(new byte[ClientSession.MaxClientMessageBytes + 1], WebSocketMessageType.Text, true, CancellationToken.None);

        Assert.Equal(WebSocketCloseStatus.MessageTooBig, await client.ReceiveCloseAsync());
        await Eventually.TrueAsync(() => edge.Hub.TotalClients == 0, "session removed");
    }

    [Fact]
    public async Task A_message_over_4_KiB_split_across_frames_also_closes_with_1009()
    {
        await using var edge = await Edge.StartAsync();
        await using var raw = await RawWebSocket.ConnectAsync(edge.BaseUri, "/");

        for (var i = 0; i < 5; i++)
            await raw.SendFrameAsync(i == 0 ? RawWebSocket.OpText : RawWebSocket.OpContinuation, new byte[1000], fin: i == 4);

        var close = await raw.ReadNonPingFrameAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(RawWebSocket.OpClose, close?.Opcode);
        Assert.Equal(1009, close?.CloseCode);
    }
}
