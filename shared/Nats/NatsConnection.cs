using System.Buffers;
using System.Collections.Concurrent;
using System.Text;
using Certstream.Nats.Commands;
using Certstream.Nats.Internal;

namespace Certstream.Nats;

/// <summary>
/// One NATS connection: thread-safe, reconnecting, one read loop and one send loop (STYLE, §6.2).
/// Split by concern: <c>.Connect</c> (handshake, reconnect), <c>.ReadLoop</c> (dispatch), <c>.Publish</c>,
/// <c>.Subscribe</c>, <c>.RequestReply</c>.
/// </summary>
public sealed partial class NatsConnection : INatsConnection
{
    private readonly NatsOpts _opts;
    private readonly ServerPool _pool;
    private readonly CommandWriter _writer;
    private readonly NatsMetrics _metrics;
    private readonly EventDispatcher _events = new();
    private readonly ConcurrentDictionary<int, IMsgSink> _subs = new();
    private readonly CancellationTokenSource _disposeCts = new();
    private readonly Lock _stateLock = new();
    private NatsConnectionState _state = NatsConnectionState.Closed;
    private NatsServerInfo? _info;
    private Task? _runTask;
    private int _nextSid;
    private int _disposed;

    public NatsConnection(NatsOpts? opts = null)
    {
        _opts = opts ?? new NatsOpts();
        if (_opts.MaxPingsOut < 1) throw new ArgumentException("MaxPingsOut must be at least 1", nameof(opts));
        _pool = new ServerPool(_opts.Url, _opts.RandomizeServers);
        _metrics = new NatsMetrics(_opts.Name);
        _writer = new CommandWriter(_opts.WriteBufferSize, _opts.ReconnectBufferSize, _metrics);
        _inboxPrefix = "_INBOX." + Nuid.Next() + ".";
    }

    public NatsOpts Opts => _opts;

    public NatsConnectionState State
    {
        get
        {
            lock (_stateLock) return _state;
        }
    }

    public NatsServerInfo? ServerInfo => Volatile.Read(ref _info);

    /// <summary>The server URL of the current (or last) socket.</summary>
    public Uri? ConnectedUrl { get; private set; }

    /// <summary>Every server the client knows: seeds plus discovered <c>connect_urls</c>.</summary>
    public IReadOnlyList<Uri> KnownServers => _pool.Servers;

    /// <summary>Bytes buffered and not yet written to the socket (e.g. while reconnecting).</summary>
    public int PendingWriteBytes => _writer.PendingBytes;

    public event EventHandler<NatsConnectionEventArgs>? Connected;
    public event EventHandler<NatsConnectionEventArgs>? Disconnected;
    public event EventHandler<NatsConnectionEventArgs>? Reconnected;
    public event EventHandler<NatsConnectionEventArgs>? Closed;
    public event EventHandler<NatsConnectionEventArgs>? LameDuckModeEntered;
    public event EventHandler<NatsConnectionEventArgs>? ServerError;
    public event EventHandler<NatsSlowConsumerEventArgs>? SlowConsumerDetected;

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        // Best effort: give buffered publishes up to a second to reach the server before the socket goes.
        if (State == NatsConnectionState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await FlushAsync(cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { }
            catch (NatsException) { }
        }
        await _disposeCts.CancelAsync().ConfigureAwait(false);
        var run = _runTask;
        if (run is not null)
        {
            try { await run.ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
        else
        {
            CloseEverything(null);
        }
        await _events.CompleteAsync().ConfigureAwait(false);
        _metrics.Dispose();
        _disposeCts.Dispose();
    }

    private bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    private void SetState(NatsConnectionState state)
    {
        lock (_stateLock) _state = state;
    }

    private void Raise(EventHandler<NatsConnectionEventArgs>? handler, string? url, Exception? error)
    {
        if (handler is null) return;
        var args = new NatsConnectionEventArgs(url, error);
        _events.Post(() => handler(this, args));
    }

    // Final state: writes fail, subscriptions complete, requests fail.
    private void CloseEverything(Exception? error)
    {
        SetState(NatsConnectionState.Closed);
        _writer.Close();
        foreach (var sink in _subs.Values) sink.Complete();
        _subs.Clear();
        FailPendingRequests(new NatsConnectionClosedException("The connection closed before a reply arrived"));
        Raise(Closed, ConnectedUrl is { } url ? Display(url) : null, error);
    }

    /// <summary>Builds a message with an owned copy of the payload (see <see cref="NatsMsg"/>).</summary>
    internal static NatsMsg BuildMsg(string subject, ReadOnlySpan<byte> replyTo, int headerLength, in ReadOnlySequence<byte> body)
    {
        var headers = headerLength > 0 ? HeaderParser.Parse(body.Slice(0, headerLength)) : null;
        var payload = body.Slice(headerLength);
        ReadOnlyMemory<byte> data = payload.IsEmpty ? ReadOnlyMemory<byte>.Empty : payload.ToArray();
        return new NatsMsg(subject, replyTo.IsEmpty ? null : Encoding.UTF8.GetString(replyTo), headers, data) { WireSize = (int)body.Length };
    }

    internal void OnDropped(NatsSubscription sub, bool alreadySlow)
    {
        Interlocked.Increment(ref _metrics.Dropped);
        if (alreadySlow) return;
        var handler = SlowConsumerDetected;
        if (handler is null) return;
        var args = new NatsSlowConsumerEventArgs(sub.Subject, sub.DroppedCount);
        _events.Post(() => handler(this, args));
    }
}
