using System.Net;
using System.Net.Sockets;

namespace Certstream.Ingestor.Tests.Support;

/// <summary>
/// Forwards TCP from a local port to an upstream (a nats-server), so a test can cut one client's network without
/// touching the server others use: <see cref="Cut"/> closes every forwarded connection and refuses new ones.
/// </summary>
internal sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _upstreamPort;
    private readonly CancellationTokenSource _cut = new();
    private readonly List<Socket> _sockets = [];
    private readonly Task _accepting;

    public TcpProxy(int upstreamPort)
    {
        _upstreamPort = upstreamPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _accepting = AcceptLoopAsync(_cut.Token);
    }

    public int Port { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    public void Cut()
    {
        _cut.Cancel();
        _listener.Stop();
        lock (_sockets)
        {
            foreach (var socket in _sockets) socket.Dispose();
            _sockets.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_cut.IsCancellationRequested) Cut();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        _cut.Dispose();
    }

    private async Task AcceptLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var client = await _listener.AcceptSocketAsync(cancellationToken);
            var upstream = new Socket(SocketType.Stream, ProtocolType.Tcp);
            await upstream.ConnectAsync(IPAddress.Loopback, _upstreamPort, cancellationToken);
            lock (_sockets)
            {
                _sockets.Add(client);
                _sockets.Add(upstream);
            }
            _ = PumpAsync(client, upstream, cancellationToken);
            _ = PumpAsync(upstream, client, cancellationToken);
        }
    }

    private static async Task PumpAsync(Socket from, Socket to, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, cancellationToken);
                if (read == 0) break;
                await to.SendAsync(buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        try
        {
            to.Shutdown(SocketShutdown.Both);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
        }
    }
}
