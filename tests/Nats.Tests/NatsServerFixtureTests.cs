using System.Net.Sockets;
using System.Text;
using Certstream.TestSupport;

namespace Certstream.Nats.Tests;

public sealed class NatsServerFixtureTests(NatsServerFixture nats) : IClassFixture<NatsServerFixture>
{
    [Fact]
    public async Task A_raw_tcp_client_sees_the_servers_INFO_line()
    {
        var uri = new Uri(nats.Url.Split(',')[0]);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(uri.Host, uri.Port);
        using var reader = new StreamReader(tcp.GetStream(), Encoding.ASCII);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var line = await reader.ReadLineAsync(cts.Token);
        Assert.NotNull(line);
        Assert.StartsWith("INFO {", line, StringComparison.Ordinal);
        Assert.Contains("\"jetstream\":true", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_killed_server_restarts_on_the_same_port_and_store()
    {
        await using var server = await NatsServer.StartAsync();
        var firstPid = server.ProcessId;
        server.Kill();
        Assert.False(server.IsRunning);
        await server.StartAgainAsync();
        Assert.True(server.IsRunning);
        Assert.NotEqual(firstPid, server.ProcessId);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", server.Port);
        Assert.True(tcp.Connected);
    }
}
