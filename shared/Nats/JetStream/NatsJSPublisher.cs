using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Tasks.Sources;
using Certstream.Nats.Internal;
using Certstream.Nats.JetStream.Internal;
using Certstream.Nats.JetStream.Models;

namespace Certstream.Nats.JetStream;

/// <summary>
/// Publishes to JetStream with many acks in flight (SPEC §5). <see cref="PublishAsync"/> returns as soon as the message is
/// buffered and the window has room; the returned future completes with the PubAck. Each attempt gets its own reply
/// subject <c>_INBOX.&lt;nuid&gt;.&lt;token&gt;</c> on one subscription whose messages the read loop hands straight to
/// this publisher; the token names a pooled slot and its attempt, so a late ack of an earlier attempt is ignored (§2).
/// Thread-safe. The data of a message must not change until its future completes (it is kept for re-sends).
/// </summary>
public sealed class NatsJSPublisher : IAsyncDisposable, IMsgSink
{
    private const int IndexBits = 20;
    private const long IndexMask = (1L << IndexBits) - 1;

    private readonly INatsConnection _connection;
    private readonly Lock _startLock = new();
    private readonly NatsJSPublisherOpts _opts;
    private readonly string _inboxPrefix;
    private readonly SemaphoreSlim _window;
    private readonly Lock _poolLock = new();
    private readonly Stack<Slot> _free = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationToken _stopping; // copied: fire-and-forget re-sends may outlive the source
    private Task? _timeouts;
    private Task? _pump;
    private NatsSubscription? _subscription;
    private int _sid;
    private readonly long _ackTimeoutMs;
    private Slot[] _slots = [];
    private string? _cachedStream;
    private int _disposed;
    private long _resends;

    internal NatsJSPublisher(INatsConnection connection, NatsJSPublisherOpts opts)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(opts.MaxAcksInFlight, 1, nameof(opts));
        ArgumentOutOfRangeException.ThrowIfLessThan(opts.MaxAttempts, 1, nameof(opts));
        _connection = connection;
        _opts = opts;
        _ackTimeoutMs = (long)opts.AckTimeout.TotalMilliseconds;
        _inboxPrefix = NatsConnection.NewInbox() + ".";
        Subject = _inboxPrefix + "*";
        _window = new SemaphoreSlim(opts.MaxAcksInFlight, opts.MaxAcksInFlight);
        _stopping = _stop.Token;
    }

    public int Sid => _sid;

    public string Subject { get; }

    string? IMsgSink.QueueGroup => null;

    int? IMsgSink.RemainingMsgs => null;

    /// <summary>Attempts sent again after an ack timeout or a 503 (worth a metric: they mean a server restart or election).</summary>
    public long Resends => Interlocked.Read(ref _resends);

    /// <summary>Publishes awaiting their ack right now.</summary>
    public int InFlight => _opts.MaxAcksInFlight - _window.CurrentCount;

    /// <summary>
    /// Waits for a place in the window, buffers the message and returns its ack future. <paramref name="msgId"/> sets
    /// <c>Nats-Msg-Id</c> (de-duplication, and safe re-sends after an ack timeout).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<NatsJSPubAckFuture> PublishAsync(string subject, ReadOnlyMemory<byte> data, string? msgId = null, NatsHeaders? headers = null, NatsJSPubOpts? opts = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (msgId is not null || opts is not null)
        {
            // Our own copy: a caller may reuse one header object for many messages, and re-sends must carry this one's id.
            headers = headers is null ? new NatsHeaders() : NatsJSPubOpts.Copy(headers);
            if (msgId is not null) headers["Nats-Msg-Id"] = msgId;
            opts?.ApplyTo(headers);
        }
        if (Volatile.Read(ref _timeouts) is null) await StartAsync(cancellationToken).ConfigureAwait(false);
        await _window.WaitAsync(cancellationToken).ConfigureAwait(false);
        var slot = Rent();
        string reply;
        lock (slot)
        {
            slot.Subject = subject;
            slot.Data = data;
            slot.Headers = headers;
            slot.CanResend = headers?["Nats-Msg-Id"] is not null;
            slot.Attempts = 1;
            slot.NoResponders = 0;
            slot.InFlight = true;
            reply = NextReply(slot);
        }
        try
        {
            await _connection.PublishAsync(subject, data, headers, reply, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            lock (slot) slot.InFlight = false;
            slot.Clear();
            Return(slot);
            _window.Release();
            throw;
        }
        return new NatsJSPubAckFuture(new ValueTask<PubAck>(slot, slot.Version));
    }

    /// <summary>Waits until every publish made so far has its ack (or failed).</summary>
    public async ValueTask WaitForAcksAsync(CancellationToken cancellationToken = default)
    {
        var taken = 0;
        try
        {
            for (; taken < _opts.MaxAcksInFlight; taken++) await _window.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (taken > 0) _window.Release(taken);
        }
    }

    /// <summary>Stops: unsubscribes and fails whatever still awaits an ack.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var task in new[] { _timeouts, _pump })
        {
            try { if (task is not null) await task.ConfigureAwait(false); }
            catch (OperationCanceledException) { }
        }
        if (_subscription is not null) await _subscription.DisposeAsync().ConfigureAwait(false);
        else if (_sid != 0 && _connection is NatsConnection direct) direct.RemoveSink(_sid);
        FailAll(new ObjectDisposedException(nameof(NatsJSPublisher)));
        _stop.Dispose();
    }

    // The ack subscription: a read-loop sink on our own connection, else a plain subscription and a pump task.
    private async ValueTask StartAsync(CancellationToken cancellationToken)
    {
        NatsSubscription? subscription = null;
        if (_connection is not NatsConnection) subscription = await _connection.SubscribeAsync(Subject, cancellationToken: cancellationToken).ConfigureAwait(false);
        bool lost;
        lock (_startLock)
        {
            lost = _timeouts is not null;
            if (!lost) Start(subscription);
        }
        if (lost && subscription is not null) await subscription.DisposeAsync().ConfigureAwait(false); // another caller started first
    }

    // Caller holds _startLock.
    private void Start(NatsSubscription? subscription)
    {
        if (subscription is not null)
        {
            _subscription = subscription;
            _pump = Task.Run(() => PumpAsync(subscription, _stopping), CancellationToken.None);
        }
        else
        {
            _sid = ((NatsConnection)_connection).AddSink(_ => this);
        }
        Volatile.Write(ref _timeouts, Task.Run(() => TimeoutLoopAsync(_stopping), CancellationToken.None));
    }

    private async Task PumpAsync(NatsSubscription subscription, CancellationToken cancellationToken)
    {
        await foreach (var msg in subscription.Msgs.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var dot = msg.Subject.LastIndexOf('.');
            if (dot < 0 || !long.TryParse(msg.Subject.AsSpan(dot + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var token)) continue;
            OnReply(token, msg.Headers, new ReadOnlySequence<byte>(msg.Data));
        }
        FailAll(new NatsConnectionClosedException("The connection closed before the PubAck arrived"));
    }

    // Read loop thread: never blocks, never throws.
    void IMsgSink.Deliver(ReadOnlySpan<byte> subject, ReadOnlySpan<byte> replyTo, int headerLength, in ReadOnlySequence<byte> body)
    {
        var dot = subject.LastIndexOf((byte)'.');
        if (dot < 0 || !Utf8Parser.TryParse(subject[(dot + 1)..], out long token, out var used) || used != subject.Length - dot - 1) return;
        var headers = headerLength > 0 ? HeaderParser.Parse(body.Slice(0, headerLength)) : null;
        OnReply(token, headers, body.Slice(headerLength));
    }

    // One reader at a time (the read loop or the pump), so the cached stream name needs no lock.
    private void OnReply(long token, NatsHeaders? status, in ReadOnlySequence<byte> json)
    {
        var slots = Volatile.Read(ref _slots);
        var index = token & IndexMask;
        if (index >= slots.Length) return;
        var slot = slots[index];
        var generation = (int)(token >> IndexBits);
        lock (slot)
        {
            if (!slot.InFlight || slot.Generation != generation) return; // late ack of an earlier attempt
        }

        Exception? error = null;
        PubAck ack = default;
        if (status is { StatusCode: 503 })
        {
            // No responders (ADR-22): try again shortly, off the read loop.
            bool retry;
            lock (slot)
            {
                retry = slot.NoResponders < _opts.NoRespondersRetries;
                if (retry)
                {
                    slot.NoResponders++;
                    slot.Deadline = long.MaxValue; // the re-send sets a fresh deadline
                }
            }
            if (retry)
            {
                _ = ResendLaterAsync(slot, generation);
                return;
            }
            error = new NatsNoRespondersException($"No stream answered for '{slot.Subject}'");
        }
        else if (status is { StatusCode: > 0 })
        {
            error = new NatsJSApiException(status.StatusCode, 0, status.StatusDescription ?? "status without PubAck");
        }
        else
        {
            try
            {
                ack = PubAckParser.Parse(json, ref _cachedStream);
            }
            catch (NatsJSApiException e)
            {
                error = e;
            }
            catch (System.Text.Json.JsonException e)
            {
                error = new NatsJSApiException("Malformed PubAck", e);
            }
        }
        Complete(slot, generation, ack, error);
    }

    void IMsgSink.Complete() => FailAll(new NatsConnectionClosedException("The connection closed before the PubAck arrived"));

    private void Complete(Slot slot, int generation, PubAck ack, Exception? error)
    {
        lock (slot)
        {
            if (!slot.InFlight || (generation >= 0 && slot.Generation != generation)) return;
            slot.InFlight = false;
        }
        slot.Clear();
        _window.Release();
        if (error is null) slot.SetResult(ack);
        else slot.SetException(error);
    }

    private void FailAll(Exception error)
    {
        foreach (var slot in Volatile.Read(ref _slots)) Complete(slot, -1, default, error);
    }

    private async Task ResendLaterAsync(Slot slot, int generation)
    {
        try
        {
            await Task.Delay(_opts.RetryWait, _stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        await ResendAsync(slot, generation, countAttempt: false).ConfigureAwait(false);
    }

    // A new attempt with a new reply token, so an ack of the previous attempt that still arrives is ignored.
    private async Task ResendAsync(Slot slot, int generation, bool countAttempt)
    {
        string subject, reply;
        ReadOnlyMemory<byte> data;
        NatsHeaders? headers;
        lock (slot)
        {
            if (!slot.InFlight || slot.Generation != generation) return;
            if (countAttempt) slot.Attempts++;
            reply = NextReply(slot);
            Interlocked.Increment(ref _resends);
            subject = slot.Subject!;
            data = slot.Data;
            headers = slot.Headers;
        }
        try
        {
            await _connection.PublishAsync(subject, data, headers, reply, _stopping).ConfigureAwait(false);
        }
        catch (NatsReconnectBufferFullException)
        {
            // Still disconnected: the next timeout tries again.
        }
        catch (OperationCanceledException)
        {
        }
        catch (NatsException e)
        {
            Complete(slot, -1, default, e);
        }
        catch (ObjectDisposedException e)
        {
            Complete(slot, -1, default, new NatsConnectionClosedException("The connection was disposed", e));
        }
    }

    private async Task TimeoutLoopAsync(CancellationToken cancellationToken)
    {
        var period = TimeSpan.FromMilliseconds(Math.Clamp(_ackTimeoutMs / 4, 10, 250));
        using var timer = new PeriodicTimer(period);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var now = Environment.TickCount64;
            foreach (var slot in Volatile.Read(ref _slots))
            {
                int generation;
                bool resend;
                lock (slot)
                {
                    if (!slot.InFlight || slot.Deadline > now) continue;
                    generation = slot.Generation;
                    resend = slot.CanResend && slot.Attempts < _opts.MaxAttempts;
                    slot.Deadline = long.MaxValue;
                }
                if (resend) await ResendAsync(slot, generation, countAttempt: true).ConfigureAwait(false);
                else Complete(slot, generation, default, new NatsJSPublishTimeoutException($"No PubAck for '{slot.Subject}' within {_opts.AckTimeout} ({slot.Attempts} attempts)"));
            }
        }
    }

    // Caller holds the slot's lock.
    private string NextReply(Slot slot)
    {
        slot.Generation = (slot.Generation + 1) & 0x3FFFFFFF;
        slot.Deadline = Environment.TickCount64 + _ackTimeoutMs;
        var token = ((long)slot.Generation << IndexBits) | (uint)slot.Index;
        return string.Create(CultureInfo.InvariantCulture, $"{_inboxPrefix}{token}"); // one allocation, formatted in place
    }

    private Slot Rent()
    {
        lock (_poolLock)
        {
            if (_free.TryPop(out var slot)) return slot;
            // Grow by doubling: slots in use are the window plus the futures not awaited yet.
            var slots = _slots;
            var size = Math.Max(16, slots.Length * 2);
            if (size > IndexMask + 1) throw new InvalidOperationException("Too many PubAck futures not awaited");
            var grown = new Slot[size];
            slots.CopyTo(grown, 0);
            for (var i = size - 1; i >= slots.Length; i--)
            {
                grown[i] = new Slot(this, i);
                if (i > slots.Length) _free.Push(grown[i]);
            }
            Volatile.Write(ref _slots, grown);
            return grown[slots.Length];
        }
    }

    private void Return(Slot slot)
    {
        lock (_poolLock) _free.Push(slot);
    }

    /// <summary>One publish awaiting its ack; its own IValueTaskSource, reused once the future was awaited.</summary>
    private sealed class Slot(NatsJSPublisher owner, int index) : IValueTaskSource<PubAck>
    {
        private ManualResetValueTaskSourceCore<PubAck> _core = new() { RunContinuationsAsynchronously = true };

        public int Index { get; } = index;
        public int Generation;
        public long Deadline;
        public bool InFlight;
        public bool CanResend;
        public int Attempts;
        public int NoResponders;
        public string? Subject;
        public ReadOnlyMemory<byte> Data;
        public NatsHeaders? Headers;

        public short Version => _core.Version;

        public void Clear()
        {
            Data = default;
            Headers = null;
        }

        public void SetResult(PubAck ack) => _core.SetResult(ack);

        public void SetException(Exception error) => _core.SetException(error);

        public PubAck GetResult(short token)
        {
            try
            {
                return _core.GetResult(token);
            }
            finally
            {
                _core.Reset();
                owner.Return(this);
            }
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
            _core.OnCompleted(continuation, state, token, flags);
    }
}
