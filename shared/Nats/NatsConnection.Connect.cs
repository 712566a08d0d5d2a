using System.Buffers;
using System.IO.Pipelines;
using System.Net.Sockets;
using System.Text.Json;
using Certstream.Nats.Internal;

namespace Certstream.Nats;

public sealed partial class NatsConnection
{
    private static readonly StreamPipeReaderOptions ReaderOptions = new(bufferSize: 64 * 1024, minimumReadSize: 8 * 1024, leaveOpen: true);

    private int _pingsOut;

    private Task? _connecting;

    /// <summary>
    /// Connects to the first reachable server of the pool; later losses are handled by the reconnect loop. Concurrent
    /// callers share one attempt; once connected (or reconnecting) it returns at once.
    /// </summary>
    public async ValueTask ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        TaskCompletionSource? mine = null;
        Task attempt;
        lock (_stateLock)
        {
            if (_runTask is not null) return;
            if (_connecting is null)
            {
                mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _connecting = mine.Task;
                _state = NatsConnectionState.Connecting;
            }
            attempt = _connecting;
        }
        if (mine is null)
        {
            await attempt.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }
        try
        {
            await ConnectFirstAsync(cancellationToken).ConfigureAwait(false);
            mine.SetResult();
        }
        catch (Exception e)
        {
            mine.SetException(e);
            _ = mine.Task.Exception; // observed here; other waiters get it too
            throw;
        }
        finally
        {
            lock (_stateLock) _connecting = null;
        }
    }

    private async Task ConnectFirstAsync(CancellationToken cancellationToken)
    {
        Exception? last = null;
        foreach (var url in _pool.ReconnectOrder(null))
        {
            try
            {
                var socket = await EstablishAsync(url, cancellationToken).ConfigureAwait(false);
                _runTask = RunAsync(socket);
                return;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                SetState(NatsConnectionState.Closed); // a later ConnectAsync may try again
                throw;
            }
#pragma warning disable CA1031 // Any failure of one server means: try the next; the last one is reported.
            catch (Exception e)
#pragma warning restore CA1031
            {
                last = e;
            }
        }
        SetState(NatsConnectionState.Closed);
        if (last is NatsServerErrorException serverError) throw serverError;
        throw new NatsException($"Could not connect to any server ({string.Join(", ", _pool.Servers.Select(Display))}): {last?.Message}", last!);
    }

    /// <summary>scheme://host:port — never the user:password or token part of a URL, which would end up in logs.</summary>
    internal static string Display(Uri url) => $"{url.Scheme}://{url.Host}:{url.Port}";

    /// <summary>TCP, INFO, optional TLS, CONNECT + PING → PONG, then re-SUB of every live subscription (§1.4, §1.10).</summary>
    private async Task<ServerSocket> EstablishAsync(Uri url, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposeCts.Token);
        timeout.CancelAfter(_opts.ConnectTimeout);
        var token = timeout.Token;

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        Stream? stream = null;
        PipeReader? reader = null;
        try
        {
            try
            {
                await socket.ConnectAsync(url.Host, url.Port, token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_disposeCts.IsCancellationRequested)
            {
                throw new NatsException($"Timed out connecting to {url.Host}:{url.Port}");
            }
            stream = new NetworkStream(socket, ownsSocket: false);
            reader = PipeReader.Create(stream, ReaderOptions);
            var handshake = new HandshakeHandler();
            await ReadUntilAsync(reader, handshake, h => h.Info is not null || h.Error is not null, url, token).ConfigureAwait(false);
            if (handshake.Error is not null) throw new NatsServerErrorException(handshake.Error);
            var info = handshake.Info!;

            var tls = url.Scheme == "tls" || _opts.Tls.Required || info.TlsRequired;
            if (tls)
            {
                // Nothing follows INFO until the client starts TLS, so the plain reader holds no unread bytes.
                await reader.CompleteAsync().ConfigureAwait(false);
                stream = await TlsUpgrade.AuthenticateAsync(stream, url.Host, _opts.Tls, token).ConfigureAwait(false);
                reader = PipeReader.Create(stream, ReaderOptions);
            }

            await stream.WriteAsync(BuildConnect(url, info, tls), token).ConfigureAwait(false);
            await ReadUntilAsync(reader, handshake, h => h.GotPong || h.Error is not null, url, token).ConfigureAwait(false);
            if (handshake.Error is not null) throw new NatsServerErrorException(handshake.Error);
            info = handshake.Info!;

            // Priority path: PONGs owed, then every live subscription with its sid, before any buffered user traffic.
            var priority = new ArrayBufferWriter<byte>();
            for (var i = 0; i < handshake.PingsToAnswer; i++) priority.Write("PONG\r\n"u8);
            foreach (var sink in _subs.Values) WriteResub(priority, sink);
            if (priority.WrittenCount > 0) await stream.WriteAsync(priority.WrittenMemory, token).ConfigureAwait(false);
            return new ServerSocket(socket, stream, reader, url, info);
        }
        catch
        {
            if (reader is not null) await reader.CompleteAsync().ConfigureAwait(false);
            if (stream is not null) await stream.DisposeAsync().ConfigureAwait(false);
            socket.Dispose();
            cancellationToken.ThrowIfCancellationRequested(); // the caller's cancellation wins over the timeout's wording
            throw;
        }
    }

    private static async Task ReadUntilAsync(PipeReader reader, HandshakeHandler handler, Func<HandshakeHandler, bool> done, Uri url, CancellationToken cancellationToken)
    {
        while (!done(handler))
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw new NatsException($"Handshake with {url.Host}:{url.Port} timed out");
            }
            var buffer = result.Buffer;
            ProtocolParser.ParseAll(ref buffer, handler, 64 * 1024);
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted && !done(handler))
                throw new NatsException($"{url.Host}:{url.Port} closed the connection during the handshake");
        }
    }

    private static void WriteResub(ArrayBufferWriter<byte> dest, IMsgSink sink)
    {
        var line = sink.QueueGroup is null ? $"SUB {sink.Subject} {sink.Sid}\r\n" : $"SUB {sink.Subject} {sink.QueueGroup} {sink.Sid}\r\n";
        dest.Write(System.Text.Encoding.UTF8.GetBytes(line));
        if (sink.RemainingMsgs is { } remaining)
        {
            var span = dest.GetSpan(40);
            dest.Advance(Commands.CommandWriter.FormatUnsub(span, sink.Sid, remaining));
        }
    }

    // CONNECT (§1.3): verbose/pedantic/echo always explicit, because the server defaults them to true.
    private byte[] BuildConnect(Uri url, NatsServerInfo info, bool tls)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        buffer.Write("CONNECT "u8);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("verbose", false);
            json.WriteBoolean("pedantic", false);
            json.WriteBoolean("tls_required", tls);
            json.WriteString("name", _opts.Name);
            json.WriteString("lang", "csharp");
            json.WriteString("version", "0.1.0");
            json.WriteNumber("protocol", 1);
            json.WriteBoolean("echo", _opts.Echo);
            json.WriteBoolean("headers", true);
            json.WriteBoolean("no_responders", true);
            var (user, pass, token) = Credentials(url);
            if (user is not null)
            {
                json.WriteString("user", user);
                json.WriteString("pass", pass ?? "");
            }
            else if (token is not null)
            {
                json.WriteString("auth_token", token);
            }
            json.WriteEndObject();
        }
        buffer.Write("\r\nPING\r\n"u8);
        _ = info;
        return buffer.WrittenSpan.ToArray();
    }

    // Options win; otherwise nats://user:pass@host or nats://token@host.
    private (string? User, string? Pass, string? Token) Credentials(Uri url)
    {
        if (_opts.User is not null) return (_opts.User, _opts.Password, null);
        if (_opts.Token is not null) return (null, null, _opts.Token);
        if (string.IsNullOrEmpty(url.UserInfo)) return (null, null, null);
        var parts = url.UserInfo.Split(':', 2);
        return parts.Length == 2
            ? (Uri.UnescapeDataString(parts[0]), Uri.UnescapeDataString(parts[1]), null)
            : (null, null, Uri.UnescapeDataString(parts[0]));
    }

    /// <summary>The connection's life: serve a socket until it fails, then reconnect, until disposed or out of attempts.</summary>
    private async Task RunAsync(ServerSocket socket)
    {
        var first = true;
        Exception? closeReason = null;
        while (true)
        {
            OnSocketOpened(socket, first);
            first = false;
            var error = await ServeAsync(socket).ConfigureAwait(false);
            var lost = socket.Url;
            await socket.DisposeAsync().ConfigureAwait(false);
            if (IsDisposed || _disposeCts.IsCancellationRequested) break;
            // State first, so that a Disconnected handler already sees Reconnecting (or Closed).
            SetState(_opts.AllowReconnect ? NatsConnectionState.Reconnecting : NatsConnectionState.Closed);
            Raise(Disconnected, Display(lost), error);
            if (!_opts.AllowReconnect)
            {
                closeReason = error;
                break;
            }
            var next = await ReconnectAsync(lost).ConfigureAwait(false);
            if (next.Socket is null)
            {
                closeReason = next.Error ?? error;
                break;
            }
            socket = next.Socket;
            Interlocked.Increment(ref _metrics.Reconnects);
        }
        CloseEverything(closeReason);
    }

    private void OnSocketOpened(ServerSocket socket, bool first)
    {
        ConnectedUrl = socket.Url;
        ApplyInfo(socket, socket.Info);
        Volatile.Write(ref _pingsOut, 0);
        SetState(NatsConnectionState.Open);
        Raise(Connected, Display(socket.Url), null);
        if (!first) Raise(Reconnected, Display(socket.Url), null);
    }

    private void ApplyInfo(ServerSocket socket, NatsServerInfo info)
    {
        socket.Info = info;
        Volatile.Write(ref _info, info);
        _writer.MaxPayload = info.MaxPayload;
        _pool.AddDiscovered(info.ConnectUrls, socket.Url.Scheme == "tls");
    }

    /// <summary>Runs the read loop, the send loop and the pinger on one socket; returns why it ended.</summary>
    private async Task<Exception> ServeAsync(ServerSocket socket)
    {
        _current = socket;
        using var link = _disposeCts.Token.Register(static s => ((ServerSocket)s!).Fail(new NatsConnectionClosedException()), socket);
        var token = socket.Cts.Token;
        var epoch = _writer.Attach();
        var read = Task.Run(() => ReadLoopAsync(socket.Reader, token), CancellationToken.None);
        var send = Task.Run(() => _writer.RunSendLoopAsync(socket.Stream, epoch, token), CancellationToken.None);
        var ping = PingLoopAsync(socket, token);
        var ended = await Task.WhenAny(read, send, ping).ConfigureAwait(false);
        var reason = ended.Exception?.GetBaseException();
        if (reason is OperationCanceledException) reason = null;
        reason ??= socket.Failure ?? new NatsException($"{socket.Url.Host}:{socket.Url.Port} closed the connection");
        socket.Fail(reason);
        _writer.Detach(reason);
        // Closing the socket unblocks a send stuck on a dead peer.
        try { socket.Socket.Shutdown(SocketShutdown.Both); }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        try { await Task.WhenAll(read, send, ping).ConfigureAwait(false); }
#pragma warning disable CA1031 // Each loop's own failure is already folded into `reason`.
        catch (Exception) { }
#pragma warning restore CA1031
        _current = null;
        if (reason is NatsProtocolException) Raise(ServerError, Display(socket.Url), reason);
        return reason;
    }

    private volatile ServerSocket? _current;

    /// <summary>Client PINGs (§1.4 step 5): more than MaxPingsOut unanswered means the connection is stale.</summary>
    private async Task PingLoopAsync(ServerSocket socket, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_opts.PingInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                if (Interlocked.Increment(ref _pingsOut) > _opts.MaxPingsOut)
                {
                    socket.Fail(new NatsException("Stale connection: the server did not answer PINGs"));
                    return;
                }
                _writer.WritePing(null);
            }
        }
        catch (OperationCanceledException) { }
        catch (NatsConnectionClosedException) { }
    }

    /// <summary>Backoff with jitter between full passes over the pool; the lost server is tried last (§1.10).</summary>
    private async Task<(ServerSocket? Socket, Exception? Error)> ReconnectAsync(Uri lost)
    {
        var wait = _opts.ReconnectWaitMin;
        Exception? last = null;
        var authPasses = 0;
        for (var attempt = 1; ; attempt++)
        {
            var authFailures = 0;
            var servers = _pool.ReconnectOrder(lost);
            foreach (var url in servers)
            {
                if (_disposeCts.IsCancellationRequested) return (null, last);
                try
                {
                    return (await EstablishAsync(url, CancellationToken.None).ConfigureAwait(false), null);
                }
                catch (OperationCanceledException) when (_disposeCts.IsCancellationRequested)
                {
                    return (null, last);
                }
#pragma warning disable CA1031 // Any failure of one attempt means: try the next server.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    last = e;
                    if (e is NatsServerErrorException { IsAuthError: true }) authFailures++;
                }
            }
            // Credentials every server refuses twice in a row will not start working: close, as nats.go does (§1.10).
            authPasses = authFailures == servers.Count ? authPasses + 1 : 0;
            if (authPasses >= 2) return (null, last);
            if (_opts.MaxReconnectAttempts >= 0 && attempt >= _opts.MaxReconnectAttempts) return (null, last);
            var jitter = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * _opts.ReconnectJitter.TotalMilliseconds);
            try
            {
                await Task.Delay(wait + jitter, _disposeCts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return (null, last);
            }
            wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, _opts.ReconnectWaitMax.Ticks));
        }
    }
}
