using System.Net.WebSockets;
using System.Text.Json;

namespace Certstream.Containers.Tests;

/// <summary>A WebSocket client of the edge's lite stream that keeps (source.url, cert_index) of every certificate it receives.</summary>
internal sealed class LiteClient : IDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly HashSet<(string Url, long Index)> _received = [];
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _added = new(0);
    private Task _reading = Task.CompletedTask;

    public int Count
    {
        get { lock (_gate) return _received.Count; }
    }

    public static async Task<LiteClient> ConnectAsync(Uri uri, CancellationToken cancellationToken)
    {
        var client = new LiteClient();
        await client._socket.ConnectAsync(uri, cancellationToken);
        client._reading = Task.Run(client.ReadAsync, CancellationToken.None);
        return client;
    }

    /// <summary>Completes once <paramref name="count"/> distinct certificates have arrived.</summary>
    public async Task WaitForCountAsync(int count, CancellationToken cancellationToken)
    {
        while (Count < count) await _added.WaitAsync(cancellationToken);
    }

    public bool Has(string url, long index)
    {
        lock (_gate) return _received.Contains((url, index));
    }

    public void Dispose()
    {
        _stop.Cancel();
        _socket.Abort();
        _socket.Dispose();
        _stop.Dispose();
        _added.Dispose();
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[1 << 20];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), _stop.Token);
                    length += result.Count;
                }
                while (!result.EndOfMessage && length < buffer.Length);
                if (result.MessageType == WebSocketMessageType.Close) return;
                using var json = JsonDocument.Parse(buffer.AsMemory(0, length));
                if (json.RootElement.GetProperty("message_type").GetString() != "certificate_update") continue;
                var data = json.RootElement.GetProperty("data");
                var key = (data.GetProperty("source").GetProperty("url").GetString()!, data.GetProperty("cert_index").GetInt64());
                lock (_gate) _received.Add(key);
                _added.Release();
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
        {
            // Closed by the test or by the edge.
        }
    }
}
