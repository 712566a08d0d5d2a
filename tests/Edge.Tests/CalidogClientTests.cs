using System.Diagnostics;
using System.Text.Json;
using Certstream.TestSupport;

namespace Certstream.Edge.Tests;

/// <summary>Calidog's own Node client (npm certstream 1.1.1) against the edge (README "WebSocket and HTTP API").</summary>
public sealed class CalidogClientTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_calidog_node_client_receives_certificates_and_heartbeats(bool compression)
    {
        var script = Path.Combine(RepoPaths.Root, "tests", "node", "certstream-client.mjs");
        Assert.True(Directory.Exists(Path.Combine(RepoPaths.Root, "tests", "node", "node_modules", "certstream")),
            "run `npm ci --prefix tests/node` first");
        await using var edge = await Edge.StartAsync(Edge.Settings() with
        {
            CompressionEnabled = compression,
            HeartbeatInterval = TimeSpan.FromMilliseconds(300),
        });
        var start = new ProcessStartInfo("node", [script, edge.WebSocketUri("/").ToString(), "3", "1"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var node = Process.Start(start)!;
        var output = node.StandardOutput.ReadToEndAsync();
        var errors = node.StandardError.ReadToEndAsync();
        try
        {
            await Eventually.TrueAsync(() => edge.Hub.ClientCount(StreamKind.Lite) == 1 || node.HasExited, "node client connected", TimeSpan.FromSeconds(20));
            for (var i = 0; i < 3; i++) edge.Hub.Publish(StreamKind.Lite, "log_a", Messages.Certificate(i, padding: 500));
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await node.WaitForExitAsync(timeout.Token);
        }
        finally
        {
            if (!node.HasExited) node.Kill();
        }

        Assert.True(node.ExitCode == 0, $"node exited {node.ExitCode}: {await errors}\n{await output}");
        var messages = (await output).Split('\n')
            .Where(line => line.StartsWith("MESSAGE ", StringComparison.Ordinal))
            .Select(line => JsonDocument.Parse(line["MESSAGE ".Length..]).RootElement)
            .ToList();
        var certificates = messages.Where(m => m.GetProperty("message_type").GetString() == "certificate_update").ToList();
        Assert.Equal([0, 1, 2], certificates.Select(m => m.GetProperty("data").GetProperty("cert_index").GetInt32()));
        Assert.Equal(500, certificates[0].GetProperty("data").GetProperty("pad").GetString()!.Length);
        Assert.Contains(messages, m => m.GetProperty("message_type").GetString() == "heartbeat"
                                       && m.GetProperty("timestamp").ValueKind == JsonValueKind.Number);
    }
}
