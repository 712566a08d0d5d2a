using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Certstream.EndToEnd.Tests;

/// <summary>
/// A WebSocket client on a bare socket, for clients no library would be: one that never reads, one that sends
/// oversized or malformed frames, one that goes silent. Reads only what a test asks it to.
/// </summary>
internal sealed class RawWebSocket : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawWebSocket(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    /// <summary>
    /// Connects and completes the upgrade (reads exactly the 101 response head). <paramref name="receiveBuffer"/>
    /// &gt; 0 shrinks the socket's receive buffer first, so a client that stops reading stalls the sender soon.
    /// </summary>
    public static async Task<RawWebSocket> ConnectAsync(int port, string path, CancellationToken cancellationToken, int receiveBuffer = 0)
    {
        var tcp = new TcpClient();
        if (receiveBuffer > 0) tcp.ReceiveBufferSize = receiveBuffer;
        await tcp.ConnectAsync("127.0.0.1", port, cancellationToken);
        var socket = new RawWebSocket(tcp);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        await socket.SendRawAsync(Encoding.ASCII.GetBytes(
            $"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"), cancellationToken);
        var head = await socket.ReadHeadAsync(cancellationToken);
        if (!head.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
        {
            socket.Dispose();
            throw new InvalidOperationException($"upgrade refused: {head.Split('\r')[0]}");
        }
        return socket;
    }

    /// <summary>Opens only the TCP connection (for half-finished handshakes).</summary>
    public static async Task<RawWebSocket> ConnectTcpAsync(int port, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", port, cancellationToken);
        return new RawWebSocket(tcp);
    }

    public Task SendRawAsync(byte[] bytes, CancellationToken cancellationToken) => _stream.WriteAsync(bytes, cancellationToken).AsTask();

    /// <summary>One masked client frame (RFC 6455 §5.2) with the given opcode and payload.</summary>
    public Task SendFrameAsync(byte opcode, byte[] payload, CancellationToken cancellationToken, bool fin = true) =>
        SendRawAsync(Frame(opcode, payload, fin), cancellationToken);

    public static byte[] Frame(byte opcode, byte[] payload, bool fin = true)
    {
        var header = new List<byte> { (byte)((fin ? 0x80 : 0) | opcode) };
        if (payload.Length < 126)
        {
            header.Add((byte)(0x80 | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header.Add(0x80 | 126);
            header.Add((byte)(payload.Length >> 8));
            header.Add((byte)payload.Length);
        }
        else
        {
            header.Add(0x80 | 127);
            var length = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(length, (ulong)payload.Length);
            header.AddRange(length);
        }
        var mask = RandomNumberGenerator.GetBytes(4);
        header.AddRange(mask);
        var masked = payload.Select((b, i) => (byte)(b ^ mask[i % 4]));
        return [.. header, .. masked];
    }

    /// <summary>
    /// Reads frames until a close frame (returns its code, or 1005 without one) or the connection ends
    /// (returns null: closed without a close frame). Data frames on the way are skipped.
    /// </summary>
    public async Task<int?> ReadUntilCloseAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var head = await ReadExactAsync(2, cancellationToken);
                if (head is null) return null;
                var opcode = head[0] & 0x0F;
                long length = head[1] & 0x7F;
                if (length == 126) length = BinaryPrimitives.ReadUInt16BigEndian(await ReadExactAsync(2, cancellationToken) ?? new byte[2]);
                else if (length == 127) length = (long)BinaryPrimitives.ReadUInt64BigEndian(await ReadExactAsync(8, cancellationToken) ?? new byte[8]);
                var payload = await ReadExactAsync((int)length, cancellationToken);
                if (payload is null) return null;
                if (opcode == 0x8) return payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : 1005;
            }
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>Closes the socket abruptly (RST): a client that vanished.</summary>
    public void Abort()
    {
        _tcp.Client.LingerState = new LingerOption(true, 0);
        _tcp.Close();
    }

    public void Dispose() => _tcp.Dispose();

    private async Task<string> ReadHeadAsync(CancellationToken cancellationToken)
    {
        // Byte by byte, so nothing after the head is consumed.
        var head = new List<byte>();
        var one = new byte[1];
        while (!(head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (await _stream.ReadAsync(one, cancellationToken) == 0) break;
            head.Add(one[0]);
        }
        return Encoding.ASCII.GetString([.. head]);
    }

    private async Task<byte[]?> ReadExactAsync(int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        var read = 0;
        while (read < count)
        {
            var n = await _stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0) return null;
            read += n;
        }
        return buffer;
    }
}
