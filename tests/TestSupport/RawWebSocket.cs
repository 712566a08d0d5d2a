using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Certstream.TestSupport;

/// <summary>
/// A WebSocket client over a bare TCP socket (RFC 6455 framing written here), for what ClientWebSocket hides and for
/// clients no library would be: frame boundaries, control frames, oversized or malformed frames, a client that never
/// reads, one that upgrades and then goes silent. Reads only what a test asks it to.
/// </summary>
public sealed class RawWebSocket : IDisposable, IAsyncDisposable
{
    public const int OpContinuation = 0x0;
    public const int OpText = 0x1;
    public const int OpBinary = 0x2;
    public const int OpClose = 0x8;
    public const int OpPing = 0x9;
    public const int OpPong = 0xA;

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private RawWebSocket(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
    }

    public sealed record Frame(bool Fin, int Opcode, byte[] Payload)
    {
        public int CloseCode => Payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(Payload) : 0;
        public string Text => Encoding.UTF8.GetString(Payload);
    }

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/> and completes the upgrade (reads exactly the 101 response head).</summary>
    public static Task<RawWebSocket> ConnectAsync(int port, string path, CancellationToken cancellationToken) =>
        ConnectAsync(port, path, receiveBuffer: 0, cancellationToken);

    /// <summary>
    /// Connects and completes the upgrade, with the socket's receive buffer shrunk to <paramref name="receiveBuffer"/>
    /// bytes first, so a client that stops reading stalls the sender soon.
    /// </summary>
    public static Task<RawWebSocket> ConnectAsync(int port, string path, int receiveBuffer, CancellationToken cancellationToken) =>
        ConnectAsync(new Uri($"http://127.0.0.1:{port}/"), path, receiveBuffer, cancellationToken);

    /// <summary>Connects to <paramref name="baseUri"/>'s host and port and completes the upgrade.</summary>
    public static Task<RawWebSocket> ConnectAsync(Uri baseUri, string path, CancellationToken cancellationToken = default) =>
        ConnectAsync(baseUri, path, receiveBuffer: 0, cancellationToken);

    private static async Task<RawWebSocket> ConnectAsync(Uri baseUri, string path, int receiveBuffer, CancellationToken cancellationToken)
    {
        var tcp = new TcpClient();
        if (receiveBuffer > 0) tcp.ReceiveBufferSize = receiveBuffer;
        await tcp.ConnectAsync(baseUri.Host, baseUri.Port, cancellationToken);
        var socket = new RawWebSocket(tcp);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        await socket.SendRawAsync(Encoding.ASCII.GetBytes(
            $"GET {path} HTTP/1.1\r\nHost: {baseUri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
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

    /// <summary>One masked client frame (RFC 6455 §5.2, §5.3) with the given opcode and payload.</summary>
    public Task SendFrameAsync(int opcode, byte[] payload, CancellationToken cancellationToken = default) =>
        SendFrameAsync(opcode, payload, fin: true, cancellationToken);

    /// <summary>One masked client frame; <paramref name="fin"/> false leaves the message open for continuation frames.</summary>
    public Task SendFrameAsync(int opcode, byte[] payload, bool fin, CancellationToken cancellationToken = default) =>
        SendRawAsync(EncodeFrame(opcode, payload, fin), cancellationToken);

    /// <summary>The bytes of one masked client frame.</summary>
    public static byte[] EncodeFrame(int opcode, byte[] payload, bool fin = true)
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

    /// <summary>The next frame, or null when the server closed the TCP connection; fails if none comes within <paramref name="timeout"/>.</summary>
    public async Task<Frame?> ReadFrameAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        return await ReadFrameAsync(cts.Token);
    }

    /// <summary>Frames until one that is not a ping (answering nothing).</summary>
    public async Task<Frame?> ReadNonPingFrameAsync(TimeSpan timeout)
    {
        while (true)
        {
            var frame = await ReadFrameAsync(timeout);
            if (frame is null || frame.Opcode != OpPing) return frame;
        }
    }

    /// <summary>True when the server has closed the TCP connection (reads end), within the timeout.</summary>
    public async Task<bool> IsClosedByServerAsync(TimeSpan timeout)
    {
        try
        {
            while (await ReadFrameAsync(timeout) is not null)
            {
                // discard
            }
            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Reads frames until a close frame (returns its code, or 1005 without one) or the connection ends
    /// (returns null: closed without a close frame). Data frames on the way are skipped.
    /// </summary>
    public async Task<int?> ReadUntilCloseAsync(CancellationToken cancellationToken)
    {
        try
        {
            while (await ReadFrameAsync(cancellationToken) is { } frame)
            {
                if (frame.Opcode == OpClose) return frame.Payload.Length >= 2 ? frame.CloseCode : 1005;
            }
            return null;
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

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    // The next frame, or null when the connection ended before one began; a frame cut short is an EndOfStreamException.
    private async Task<Frame?> ReadFrameAsync(CancellationToken cancellationToken)
    {
        var header = new byte[2];
        if (!await ReadExactlyOrEndAsync(header, cancellationToken)) return null;
        var fin = (header[0] & 0x80) != 0;
        var opcode = header[0] & 0x0F;
        if ((header[1] & 0x80) != 0) throw new InvalidDataException("server frames must not be masked (RFC 6455 §5.1)");
        long length = header[1] & 0x7F;
        if (length == 126)
        {
            var ext = new byte[2];
            await _stream.ReadExactlyAsync(ext, cancellationToken);
            length = BinaryPrimitives.ReadUInt16BigEndian(ext);
        }
        else if (length == 127)
        {
            var ext = new byte[8];
            await _stream.ReadExactlyAsync(ext, cancellationToken);
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(ext);
        }
        var payload = new byte[length];
        await _stream.ReadExactlyAsync(payload, cancellationToken);
        return new Frame(fin, opcode, payload);
    }

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

    private async Task<bool> ReadExactlyOrEndAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await _stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                if (read == 0) return false;
                throw new EndOfStreamException();
            }
            read += n;
        }
        return true;
    }
}
