using System.Buffers.Binary;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Certstream.Edge.Tests;

/// <summary>
/// A WebSocket client over a bare TCP socket (RFC 6455 framing written here), for what ClientWebSocket hides:
/// frame boundaries, control frames, and a client that upgrades and then never answers anything.
/// </summary>
internal sealed class RawWebSocket : IAsyncDisposable
{
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

    public static async Task<RawWebSocket> ConnectAsync(Uri baseUri, string path)
    {
        var tcp = new TcpClient();
        await tcp.ConnectAsync(baseUri.Host, baseUri.Port);
        var raw = new RawWebSocket(tcp);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        var request = $"GET {path} HTTP/1.1\r\nHost: {baseUri.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                      + $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
        await raw._stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await raw._stream.ReadAsync(one) == 0) throw new IOException("closed during handshake: " + head);
            head.Append((char)one[0]);
        }
        Assert.StartsWith("HTTP/1.1 101", head.ToString(), StringComparison.Ordinal);
        return raw;
    }

    /// <summary>The next frame, or null when the server closed the TCP connection.</summary>
    public async Task<Frame?> ReadFrameAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var header = new byte[2];
        if (!await ReadExactlyOrEndAsync(header, cts.Token)) return null;
        var fin = (header[0] & 0x80) != 0;
        var opcode = header[0] & 0x0F;
        Assert.True((header[1] & 0x80) == 0, "server frames must not be masked (RFC 6455 §5.1)");
        long length = header[1] & 0x7F;
        if (length == 126)
        {
            var ext = new byte[2];
            await _stream.ReadExactlyAsync(ext, cts.Token);
            length = BinaryPrimitives.ReadUInt16BigEndian(ext);
        }
        else if (length == 127)
        {
            var ext = new byte[8];
            await _stream.ReadExactlyAsync(ext, cts.Token);
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(ext);
        }
        var payload = new byte[length];
        await _stream.ReadExactlyAsync(payload, cts.Token);
        return new Frame(fin, opcode, payload);
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

    /// <summary>A masked client frame (RFC 6455 §5.3).</summary>
    public async Task SendFrameAsync(int opcode, ReadOnlyMemory<byte> payload, bool fin = true)
    {
        using var frame = new MemoryStream();
        frame.WriteByte((byte)((fin ? 0x80 : 0) | opcode));
        if (payload.Length < 126)
        {
            frame.WriteByte((byte)(0x80 | payload.Length));
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            frame.WriteByte(0x80 | 126);
            var ext = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(ext, (ushort)payload.Length);
            frame.Write(ext);
        }
        else
        {
            frame.WriteByte(0x80 | 127);
            var ext = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(ext, (ulong)payload.Length);
            frame.Write(ext);
        }
        var mask = RandomNumberGenerator.GetBytes(4);
        frame.Write(mask);
        var masked = payload.ToArray();
        for (var i = 0; i < masked.Length; i++) masked[i] ^= mask[i % 4];
        frame.Write(masked);
        await _stream.WriteAsync(frame.ToArray());
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

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
