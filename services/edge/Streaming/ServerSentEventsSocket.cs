using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace Certstream.Edge;

/// <summary>
/// A Server-Sent Events response (README "Server-Sent Events") behind the <see cref="WebSocket"/> surface a
/// <see cref="ClientSession"/> drives, so an SSE client gets the same queue, slow-client handling, limits and counters as a
/// WebSocket client. Each message becomes one event, <c>id: &lt;data.seen&gt;</c> (so that a reconnecting EventSource's
/// <c>Last-Event-ID</c> resumes where it stopped, README "Resume") and <c>data: &lt;the same JSON&gt;</c>; a comment line every keepalive
/// interval keeps proxies from closing an idle stream. The client sends nothing: every write the connection takes counts as
/// a sign of life for the client timeout, and the request ending (the client went away) reads as its close.
/// </summary>
internal sealed class ServerSentEventsSocket : WebSocket
{
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] IdPrefix = "id: "u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] KeepaliveComment = ": keepalive\n\n"u8.ToArray();

    private readonly HttpContext _context;
    private readonly ClientActivity _activity;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopKeepalive = new();
    private readonly Task _keepalive;
    private WebSocketState _state = WebSocketState.Open;

    public ServerSentEventsSocket(HttpContext context, ClientActivity activity, TimeSpan keepaliveInterval)
    {
        _context = context;
        _activity = activity;
        context.RequestAborted.Register(static s => ((ServerSentEventsSocket)s!)._ended.TrySetResult(), this);
        _keepalive = keepaliveInterval > TimeSpan.Zero ? KeepaliveAsync(keepaliveInterval) : Task.CompletedTask;
    }

    public override WebSocketCloseStatus? CloseStatus => null;

    public override string? CloseStatusDescription => null;

    public override WebSocketState State => _state;

    public override string? SubProtocol => null;

    /// <summary>Sends the response headers, so the client sees the stream open before the first event.</summary>
    public async Task StartAsync()
    {
        var response = _context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-store";
        response.Headers["X-Accel-Buffering"] = "no"; // nginx: pass events on as they come
        response.Headers.AccessControlAllowOrigin = "*";
        await response.StartAsync(_context.RequestAborted);
        await WriteCoreAsync(KeepaliveComment, framed: false);
    }

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendEventAsync(buffer, eventId: null);

    /// <summary>One event: its id line when there is one (an id is ASCII digits and a dot; anything else is left out), then the data line.</summary>
    public ValueTask SendEventAsync(ReadOnlyMemory<byte> message, string? eventId)
    {
        // The messages are one line of JSON, some ending with a newline: an event's data line must not.
        var data = message.Length > 0 && message.Span[^1] == (byte)'\n' ? message[..^1] : message;
        var id = eventId is { Length: > 0 and <= 32 } && eventId.All(c => char.IsAsciiDigit(c) || c == '.') ? eventId : null;
        return new ValueTask(WriteCoreAsync(data, framed: true, id));
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        SendAsync(buffer.AsMemory(), messageType, endOfMessage, cancellationToken).AsTask();

    public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        // Nothing ever comes from an SSE client: its "message" is the end of the request.
        await _ended.Task.WaitAsync(cancellationToken);
        return new ValueWebSocketReceiveResult(0, WebSocketMessageType.Close, endOfMessage: true);
    }

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        await _ended.Task.WaitAsync(cancellationToken);
        return new WebSocketReceiveResult(0, WebSocketMessageType.Close, endOfMessage: true);
    }

    /// <summary>The end of the event stream: the response completes when the endpoint returns.</summary>
    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
    {
        _state = WebSocketState.Closed;
        _ended.TrySetResult();
        return Task.CompletedTask;
    }

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override void Abort()
    {
        _state = WebSocketState.Aborted;
        _ended.TrySetResult();
        _context.Abort();
    }

    public override void Dispose()
    {
        // Not waited for: a keepalive stuck on a client that stopped reading ends with the connection.
        _stopKeepalive.Cancel();
        _ended.TrySetResult();
    }

    private async Task WriteCoreAsync(ReadOnlyMemory<byte> bytes, bool framed, string? id = null)
    {
        if (_state != WebSocketState.Open) throw new WebSocketException(WebSocketError.InvalidState, "the event stream has ended");
        await _writeLock.WaitAsync();
        try
        {
            var body = _context.Response.Body;
            if (id is not null)
            {
                await body.WriteAsync(IdPrefix, _context.RequestAborted);
                await body.WriteAsync(System.Text.Encoding.ASCII.GetBytes(id + "\n"), _context.RequestAborted);
            }
            if (framed) await body.WriteAsync(DataPrefix, _context.RequestAborted);
            await body.WriteAsync(bytes, _context.RequestAborted);
            if (framed) await body.WriteAsync(EventEnd, _context.RequestAborted);
            await body.FlushAsync(_context.RequestAborted);
            _activity.OnReceived(); // the connection took it: the client is still there
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            _ended.TrySetResult();
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely, e);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task KeepaliveAsync(TimeSpan interval)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopKeepalive.Token))
            {
                if (_state != WebSocketState.Open || _ended.Task.IsCompleted) return;
                await WriteCoreAsync(KeepaliveComment, framed: false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Closed: nothing more to keep alive.
        }
    }
}
