using System.IO.Pipelines;
using System.Net.Sockets;

namespace Certstream.Nats.Internal;

/// <summary>One established socket (after the handshake): the stream to write, the pipe to read, and why it ended.</summary>
internal sealed class ServerSocket(Socket socket, Stream stream, PipeReader reader, Uri url, NatsServerInfo info) : IAsyncDisposable
{
    private Exception? _failure;

    public Socket Socket { get; } = socket;
    public Stream Stream { get; } = stream;
    public PipeReader Reader { get; } = reader;
    public Uri Url { get; } = url;
    public NatsServerInfo Info { get; set; } = info;

    /// <summary>Cancelled to tear this socket down (stale, fatal -ERR, lame duck, dispose).</summary>
    public CancellationTokenSource Cts { get; } = new();

    public Exception? Failure => Volatile.Read(ref _failure);

    /// <summary>Records the first reason and stops the loops.</summary>
    public void Fail(Exception reason)
    {
        Interlocked.CompareExchange(ref _failure, reason, null);
        try { Cts.Cancel(); }
        catch (ObjectDisposedException) { }
    }

    public async ValueTask DisposeAsync()
    {
        try { await Reader.CompleteAsync().ConfigureAwait(false); }
        catch (InvalidOperationException) { }
        try { Socket.Shutdown(SocketShutdown.Both); }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        try { await Stream.DisposeAsync().ConfigureAwait(false); }
        catch (IOException) { }
        Socket.Dispose();
        Cts.Dispose();
    }
}
