using System.Net.WebSockets;

namespace Certstream.Bench;

/// <summary>A WebSocket client that reads every message as fast as it can and hands each to a callback with its arrival time.</summary>
internal static class WebSocketReader
{
    /// <summary>Reads until the socket closes or <paramref name="cancellationToken"/> fires.</summary>
    public static async Task RunAsync(ClientWebSocket socket, Action<ReadOnlyMemory<byte>> onMessage, CancellationToken cancellationToken)
    {
        var buffer = new byte[1 << 16];
        var filled = 0;
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(filled), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close) return;
                filled += result.Count;
                if (!result.EndOfMessage)
                {
                    if (filled == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
                    continue;
                }
                onMessage(buffer.AsMemory(0, filled));
                filled = 0;
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
        }
    }
}
