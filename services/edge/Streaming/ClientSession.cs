using System.Net.WebSockets;
using Certstream.Hosting.Configuration;

namespace Certstream.Edge;

/// <summary>
/// One WebSocket client (README "WebSocket and HTTP API"): a writer loop draining the client's own <see cref="SendQueue"/> one text frame per
/// message, and a reader loop that reads and ignores client frames. Everything that ends the session goes through
/// <see cref="RequestClose"/>, which never blocks, so the hub and the monitor can call it from their own threads.
/// </summary>
internal sealed class ClientSession
{
    /// <summary>Largest client message accepted (README "WebSocket and HTTP API"); a bigger one closes the connection with 1009.</summary>
    internal const int MaxClientMessageBytes = 4096;

    private const int NotClosing = -1;

    private readonly WebSocket _socket;
    private readonly SendQueue _queue;
    private readonly ClientActivity _activity;
    private readonly long _slowClientTimeoutMs;
    private readonly ServerSentEventsSocket? _events;
    private readonly TimeSpan _closeTimeout;
    private readonly TaskCompletionSource _closeRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private int _closeReason = NotClosing; // a DisconnectReason once closing: one field, so the first reason wins atomically
    private long _fullSinceMs;
    private long _lastSentMs = Environment.TickCount64;
    private long _messagesSent;
    private long _bytesSent;
    private long _skipped;
    private long _replayed;

    /// <param name="resumed">A client that asked for <c>since</c>: it is fed from the history (<see cref="OfferReplayAsync"/>), not by the hub.</param>
    public ClientSession(WebSocket socket, StreamKind kind, ClientActivity activity, WebserverOptions webserver, EdgeTuning tuning, ClientFilter? filter = null,
        bool resumed = false)
    {
        _socket = socket;
        Kind = kind;
        Filter = filter;
        IsResumed = resumed;
        _events = socket as ServerSentEventsSocket;
        IsEventStream = _events is not null;
        _activity = activity;
        _queue = new SendQueue(webserver.ClientBuffer);
        _slowClientTimeoutMs = (long)webserver.SlowClientTimeout.TotalMilliseconds;
        _closeTimeout = tuning.CloseTimeout;
    }

    public StreamKind Kind { get; }

    /// <summary>The client's server-side filter (README "Filters"), or null for every message of the stream.</summary>
    public ClientFilter? Filter { get; }

    /// <summary>Whether the client reads Server-Sent Events rather than a WebSocket.</summary>
    public bool IsEventStream { get; }

    /// <summary>Whether the client resumed (<c>since</c>, README "Resume"): its messages come from CT_HISTORY, before and after the junction.</summary>
    public bool IsResumed { get; }

    /// <summary>Messages handed to this client from the history.</summary>
    public long MessagesReplayed => Volatile.Read(ref _replayed);

    public long MessagesSent => Volatile.Read(ref _messagesSent);
    public long BytesSent => Volatile.Read(ref _bytesSent);
    public long MessagesSkipped => Volatile.Read(ref _skipped);
    public long QueuedBytes => _queue.QueuedBytes;
    public long LastSentMs => Volatile.Read(ref _lastSentMs);
    public long LastReceivedMs => _activity.LastReceivedMs;
    public bool IsClosing => Volatile.Read(ref _closeReason) != NotClosing;

    /// <summary>Why the session ended (or is ending); meaningful once <see cref="IsClosing"/>.</summary>
    public DisconnectReason Reason => IsClosing ? (DisconnectReason)Volatile.Read(ref _closeReason) : DisconnectReason.ConnectionLost;

    /// <summary>
    /// Queues a message for this client alone, or drops and counts it when the queue is full (README "WebSocket and HTTP API" slow clients).
    /// Returns true when this drop made the session give up on the client as too slow.
    /// </summary>
    public bool Offer(ReadOnlyMemory<byte> message, long nowMs, string? eventId = null)
    {
        if (_queue.TryEnqueue(message, eventId))
        {
            if (Volatile.Read(ref _fullSinceMs) != 0) Volatile.Write(ref _fullSinceMs, 0);
            return false;
        }
        if (IsClosing) return false;
        Interlocked.Increment(ref _skipped);
        var since = Volatile.Read(ref _fullSinceMs);
        if (since == 0)
        {
            Interlocked.CompareExchange(ref _fullSinceMs, nowMs, 0);
            return false;
        }
        // slow_client_timeout 0: drop for ever, never disconnect (certstream-server-go's behaviour).
        if (_slowClientTimeoutMs == 0 || nowMs - since < _slowClientTimeoutMs) return false;
        return RequestClose(DisconnectReason.SlowClient);
    }

    /// <summary>
    /// Queues a message from the history, waiting while the queue is full: a replay goes at the client's pace and drops
    /// nothing. A client whose queue stays full for <c>slow_client_timeout</c> is closed as too slow (1013), as a live one
    /// would be; with the timeout 0 it is waited for without end. False once the session is closing.
    /// </summary>
    public async ValueTask<bool> OfferReplayAsync(ReadOnlyMemory<byte> message, string? eventId, CancellationToken cancellationToken)
    {
        if (IsClosing) return false;
        if (await _queue.EnqueueAsync(message, eventId, TimeSpan.FromMilliseconds(_slowClientTimeoutMs), cancellationToken))
        {
            Interlocked.Increment(ref _replayed);
            return true;
        }
        RequestClose(DisconnectReason.SlowClient);
        return false;
    }

    /// <summary>Queues the JSON heartbeat (README "WebSocket and HTTP API") unless the queue is full; it counts as something sent.</summary>
    public void OfferHeartbeat(ReadOnlyMemory<byte> heartbeat, long nowMs)
    {
        if (_queue.TryEnqueue(heartbeat)) Volatile.Write(ref _lastSentMs, nowMs);
    }

    /// <summary>Starts closing the session; the first reason wins. Returns true for the call that started it.</summary>
    public bool RequestClose(DisconnectReason reason)
    {
        if (Interlocked.CompareExchange(ref _closeReason, (int)reason, NotClosing) != NotClosing) return false;
        _queue.Complete();
        _closeRequested.TrySetResult();
        return true;
    }

    /// <summary>Runs until the connection is closed; cancelling <paramref name="cancellationToken"/> closes it with 1001.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.Register(
            static state => ((ClientSession)state!).RequestClose(DisconnectReason.ServerShutdown), this);

        // The loops take no token: shutdown arrives as RequestClose, so the close handshake still happens.
        var reading = ReadLoopAsync();
        var writing = WriteLoopAsync();
        await _closeRequested.Task;

        // The writer finishes its current send and sends the close frame; the reader waits for the client's reply.
        // A client that does neither in time (stuck TCP window, half-open connection) is dropped.
        try
        {
            await Task.WhenAll(reading, writing).WaitAsync(_closeTimeout, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            _socket.Abort();
            await Task.WhenAll(reading, writing);
        }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            while (await _queue.WaitToReadAsync(CancellationToken.None))
            {
                while (!IsClosing && _queue.TryDequeue(out var message))
                {
                    // The same array every other client of this stream gets: nothing is copied or re-serialized here.
                    if (_events is not null)
                        await _events.SendEventAsync(message.Data, message.EventId);
                    else
                        await _socket.SendAsync(message.Data, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                    _queue.Release(message.Data.Length);
                    Volatile.Write(ref _messagesSent, _messagesSent + 1);
                    Volatile.Write(ref _bytesSent, _bytesSent + message.Data.Length);
                    Volatile.Write(ref _lastSentMs, Environment.TickCount64);
                }
                if (IsClosing) break;
            }

            await SendCloseFrameAsync();
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            RequestClose(DisconnectReason.ConnectionLost);
        }
    }

    private async Task SendCloseFrameAsync()
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived)) return;
        var (status, description) = Reason.CloseFrame();
        try
        {
            await _socket.CloseOutputAsync(status, description, CancellationToken.None);
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            // Gone already; nothing to tell it.
        }
    }

    private async Task ReadLoopAsync()
    {
        // Client frames carry nothing the edge uses (README "WebSocket and HTTP API"): read them to keep the connection's control frames
        // flowing, count their size, discard them.
        var buffer = new byte[512];
        long messageBytes = 0;
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    RequestClose(DisconnectReason.ClientClosed);
                    return;
                }
                if (IsClosing) continue; // draining until the client answers our close frame
                messageBytes += result.Count;
                if (messageBytes > MaxClientMessageBytes)
                {
                    RequestClose(DisconnectReason.MessageTooBig);
                    continue;
                }
                if (result.EndOfMessage) messageBytes = 0;
            }
        }
        catch (Exception ex) when (IsTransportFailure(ex))
        {
            RequestClose(DisconnectReason.ConnectionLost);
        }
    }

    private static bool IsTransportFailure(Exception ex) =>
        ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException
            or InvalidOperationException;
}
