using System.Net;
using System.Net.WebSockets;
using System.Text;
using Certstream.EndToEnd.Tests.Harness;
using Certstream.TestSupport;
using Xunit.Abstractions;

namespace Certstream.EndToEnd.Tests;

/// <summary>
/// Issue [5] §6: clients that misbehave in every way a socket allows, against a running pipeline. The edge
/// answers each as README "WebSocket and HTTP API" says, stays ready, and returns to its baseline of clients, descriptors and memory.
/// </summary>
public sealed class BadClientTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Bad_clients_leave_the_edge_healthy_and_leak_nothing()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var ct = cts.Token;
        await using var pipeline = await Pipeline.StartAsync(new PipelineOptions
        {
            Simulator = new SimulatorOptions { InitialSize = 100, EntriesPerSecondPerLog = 10 },
            // Silent clients are found within seconds instead of 65 s.
            EdgeSettings = ["ping_interval: 1s", "client_timeout: 3s"],
        }, ct);
        await pipeline.StartIngestorAsync(ct);
        var edge = pipeline.Edges[0];
        try
        {
            await RunAsync(pipeline, edge, ct);
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or HttpRequestException or WebSocketException)
        {
            Assert.Fail($"{e.GetType().Name}: {e.Message}\n{pipeline.Diagnostics()}");
        }
    }

    private async Task RunAsync(Pipeline pipeline, PipelineService edge, CancellationToken ct)
    {
        var pid = edge.Process.Id;
        // Warm up (JIT, pools, first messages) before taking the baseline.
        await CycleAsync(edge, 50, ct);
        await EdgeProbe.EventuallyAsync(() => EdgeProbe.ClientsAsync(edge, ct), n => n == 0, Timeout, "clients after warm-up", ct);
        var baselineRss = await EdgeProbe.MetricAsync(edge, "process_resident_memory_bytes", ct);
        var baselineFds = EdgeProbe.OpenDescriptors(pid);
        output.WriteLine($"baseline: rss {baselineRss / 1048576:F1} MiB, {baselineFds} descriptors");

        // A frame over 4 KiB closes the connection with 1009 (README "WebSocket and HTTP API").
        using (var oversized = await RawWebSocket.ConnectAsync(edge.Port, "/", ct))
        {
            await oversized.SendFrameAsync(RawWebSocket.OpText, Encoding.UTF8.GetBytes(new string('x', 8192)), ct);
            Assert.Equal(1009, await oversized.ReadUntilCloseAsync(ct).WaitAsync(Timeout, ct));
        }
        // Garbage: an unmasked frame, a reserved opcode, random bytes. Each ends its connection (close frame or drop).
        foreach (var garbage in new[]
                 {
                     new byte[] { 0x81, 0x05, (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o' },
                     RawWebSocket.EncodeFrame(0x3, [1, 2, 3]),
                     Encoding.ASCII.GetBytes("\x00\xff not a websocket frame at all \x13\x37" + new string('\u00ff', 200)),
                 })
        {
            using var socket = await RawWebSocket.ConnectAsync(edge.Port, "/full-stream", ct);
            await socket.SendRawAsync(garbage, ct);
            var code = await socket.ReadUntilCloseAsync(ct).WaitAsync(Timeout, ct);
            Assert.True(code is null or 1002 or 1003 or 1007 or 1008 or 1009, $"garbage answered with close code {code}");
        }
        // Frames the server must read and ignore: text, binary, pings (answered), a fragmented message.
        using (var chatty = await RawWebSocket.ConnectAsync(edge.Port, "/domains-only", ct))
        {
            await chatty.SendFrameAsync(RawWebSocket.OpText, "{\"hello\":1}"u8.ToArray(), ct);
            await chatty.SendFrameAsync(RawWebSocket.OpBinary, [0, 1, 2], ct);
            await chatty.SendFrameAsync(RawWebSocket.OpPing, "ping"u8.ToArray(), ct);
            await chatty.SendFrameAsync(RawWebSocket.OpText, "frag"u8.ToArray(), fin: false, ct);
            await chatty.SendFrameAsync(RawWebSocket.OpContinuation, "ment"u8.ToArray(), ct);
        }

        // Half-open: upgraded clients that then go silent (no reads, no pongs) are closed at client_timeout,
        // while this test still holds their sockets open; and TCP connections that never finish a request.
        var silent = new List<RawWebSocket>();
        var unfinished = new List<RawWebSocket>();
        try
        {
            for (var i = 0; i < 20; i++) silent.Add(await RawWebSocket.ConnectAsync(edge.Port, i % 2 == 0 ? "/" : "/full-stream", receiveBuffer: 4096, ct));
            for (var i = 0; i < 20; i++)
            {
                var socket = await RawWebSocket.ConnectTcpAsync(edge.Port, ct);
                await socket.SendRawAsync("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"u8.ToArray(), ct);
                unfinished.Add(socket);
            }
            Assert.True(await EdgeProbe.ClientsAsync(edge, ct) >= 20, "the silent clients were not counted");
            await EdgeProbe.EventuallyAsync(() => EdgeProbe.ClientsAsync(edge, ct), n => n == 0, TimeSpan.FromSeconds(30), "clients while 20 silent ones hold their sockets", ct);
        }
        finally
        {
            foreach (var socket in silent.Concat(unfinished)) socket.Abort();
        }

        // 1,000 connect/disconnect cycles: clean closes, aborts, and closes mid-message.
        await CycleAsync(edge, 1000, ct);

        await EdgeProbe.EventuallyAsync(() => EdgeProbe.ClientsAsync(edge, ct), n => n == 0, Timeout, "clients after the cycles", ct);
        Assert.Equal(HttpStatusCode.OK, await edge.StatusAsync("/healthz", ct));
        Assert.Equal(HttpStatusCode.OK, await edge.StatusAsync("/readyz", ct));
        var fds = await EdgeProbe.EventuallyAsync(() => Task.FromResult(EdgeProbe.OpenDescriptors(pid)), n => n <= baselineFds + 10, Timeout, "open descriptors", ct);
        var rss = await EdgeProbe.EventuallyAsync(() => EdgeProbe.MetricAsync(edge, "process_resident_memory_bytes", ct),
            r => r <= baselineRss + 64 * 1048576.0, Timeout, $"rss (baseline {baselineRss / 1048576:F1} MiB)", ct);
        output.WriteLine($"after: rss {rss / 1048576:F1} MiB, {fds} descriptors");

        // Still serving: a new client gets certificates.
        using var client = await CertstreamListener.ConnectAsync("node lite after", edge.WebSocketUri("/"), ct);
        await client.WaitForCountAsync(3, Timeout, ct);
    }

    private static async Task CycleAsync(PipelineService edge, int cycles, CancellationToken ct)
    {
        var paths = new[] { "/", "/full-stream", "/domains-only", "/full-stream/", "/domains-only/" };
        // A few at a time, as a crowd of reconnecting clients would.
        await Parallel.ForAsync(0, cycles, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            using var socket = new ClientWebSocket();
            await socket.ConnectAsync(edge.WebSocketUri(paths[i % paths.Length]), token);
            switch (i % 3)
            {
                case 0:
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", token);
                    break;
                case 1:
                    socket.Abort();
                    break;
                default:
                    await socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, null, token);
                    break;
            }
        });
    }
}
