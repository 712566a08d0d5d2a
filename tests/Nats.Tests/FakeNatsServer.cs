using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Certstream.Nats.Tests;

/// <summary>
/// A scripted NATS server on a loopback socket, for behaviour a real server won't show on demand: silence (stale
/// connections), lame duck INFO, topology changes, garbage bytes. Each accepted client runs <c>script</c>.
/// </summary>
internal sealed class FakeNatsServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<FakeClient, Task> _script;
    private readonly CancellationTokenSource _cts = new();
    private readonly Task _accept;
    private readonly List<FakeClient> _clients = [];

    public FakeNatsServer(Func<FakeClient, Task> script)
    {
        _script = script;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public string Url => $"nats://127.0.0.1:{Port}";
    public int Accepted { get { lock (_clients) return _clients.Count; } }

    public string Info(string extraJson = "") =>
        "INFO {\"server_id\":\"FAKE\",\"server_name\":\"fake\",\"version\":\"2.9.10\",\"proto\":1,\"host\":\"127.0.0.1\",\"port\":" + Port +
        ",\"headers\":true,\"max_payload\":1048576" + extraJson + "}\r\n";

    private async Task AcceptAsync()
    {
        while (!_cts.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _listener.AcceptSocketAsync(_cts.Token); }
            catch (OperationCanceledException) { return; }
            catch (SocketException) { return; }
            var client = new FakeClient(this, socket, _cts.Token);
            lock (_clients) _clients.Add(client);
            _ = Task.Run(async () =>
            {
                try { await _script(client); }
                catch (Exception) { }
                finally { client.Dispose(); }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        _cts.Cancel();
        _listener.Stop();
        await _accept;
        lock (_clients) foreach (var c in _clients) c.Dispose();
    }
}

internal sealed class FakeClient(FakeNatsServer server, Socket socket, CancellationToken cancellationToken) : IDisposable
{
    private readonly NetworkStream _stream = new(socket, ownsSocket: true);
    private readonly StreamReader _reader = new(new NetworkStream(socket, ownsSocket: false), Encoding.ASCII);

    public FakeNatsServer Server { get; } = server;

    public async Task SendAsync(string text) => await _stream.WriteAsync(Encoding.UTF8.GetBytes(text), cancellationToken);

    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes, cancellationToken);

    public async Task<string?> ReadLineAsync() => await _reader.ReadLineAsync(cancellationToken);

    /// <summary>INFO, then CONNECT and PING from the client, answered with PONG (§1.4).</summary>
    public async Task HandshakeAsync(string? info = null)
    {
        await SendAsync(info ?? Server.Info());
        var connect = await ReadLineAsync();
        if (connect is null || !connect.StartsWith("CONNECT ", StringComparison.Ordinal)) throw new InvalidOperationException("expected CONNECT: " + connect);
        Connect = connect;
        var ping = await ReadLineAsync();
        if (ping != "PING") throw new InvalidOperationException("expected PING: " + ping);
        await SendAsync("PONG\r\n");
    }

    public string? Connect { get; private set; }

    /// <summary>Reads lines until the connection ends (keeps the socket drained).</summary>
    public async Task ReadToEndAsync(Action<string>? onLine = null)
    {
        while (await ReadLineAsync() is { } line) onLine?.Invoke(line);
    }

    public void Dispose()
    {
        _reader.Dispose();
        _stream.Dispose();
    }
}
