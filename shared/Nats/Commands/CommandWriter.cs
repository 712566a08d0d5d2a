using System.Buffers.Text;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Tasks.Sources;
using Certstream.Nats.Internal;

namespace Certstream.Nats.Commands;

/// <summary>
/// The client → server command buffer and its send loop (STYLE: one write loop batching many commands into few
/// socket sends). Publishers format commands straight into the active buffer under a short lock — no intermediate
/// objects, so a core publish allocates nothing. The send loop swaps the active buffer with a spare one and writes
/// it in one call, so thousands of publishes become one syscall.
/// While disconnected the buffer keeps filling up to <see cref="NatsOpts.ReconnectBufferSize"/> and is sent after the
/// reconnect handshake and re-subscriptions (§1.10). The chunk that was being written when the socket failed is dropped:
/// core NATS is at-most-once, and the server may already have some of it.
/// </summary>
internal sealed class CommandWriter : IValueTaskSource
{
    private const int InitialBufferSize = 64 * 1024;

    private readonly Lock _lock = new();
    private readonly int _highWater;
    private readonly int _reconnectLimit;
    private readonly NatsMetrics _metrics;

    // Flush and keep-alive PINGs, in the order they sit in the byte stream; null = keep-alive (no waiter).
    private readonly Queue<TaskCompletionSource?> _pongWaiters = new();

    private byte[] _active = new byte[InitialBufferSize];
    private int _length;
    private byte[]? _spare = new byte[InitialBufferSize];
    private int _pingsInActive;
    private bool _connected;
    private bool _closed;
    private int _epoch;
    private int _maxPayload = 1024 * 1024;
    private TaskCompletionSource? _drained;

    // Send-loop wake-up: a reusable value-task source, so waking the loop allocates nothing (guarded by _lock).
    private ManualResetValueTaskSourceCore<bool> _wake = new() { RunContinuationsAsynchronously = true };
    private bool _loopIdle;

    public CommandWriter(int highWater, int reconnectLimit, NatsMetrics metrics)
    {
        _highWater = highWater;
        _reconnectLimit = reconnectLimit;
        _metrics = metrics;
    }

    /// <summary>Server max_payload (headers + payload), from the latest INFO.</summary>
    public int MaxPayload
    {
        get => Volatile.Read(ref _maxPayload);
        set => Volatile.Write(ref _maxPayload, value);
    }

    public bool IsConnected
    {
        get
        {
            lock (_lock) return _connected;
        }
    }

    /// <summary>Buffered bytes not yet handed to the socket.</summary>
    public int PendingBytes
    {
        get
        {
            lock (_lock) return _length;
        }
    }

    /// <summary>
    /// Formats PUB/HPUB into the buffer. False = the buffer is over its high-water mark while connected: wait with
    /// <see cref="WaitForSpaceAsync"/> and retry. Throws for oversize payloads, a full reconnect buffer, or a closed writer.
    /// </summary>
    public bool TryWritePublish(string subject, string? replyTo, NatsHeaders? headers, ReadOnlySpan<byte> payload)
    {
        var headerLength = headers is null ? 0 : headers.WireLength;
        var total = headerLength + payload.Length;
        var maxPayload = MaxPayload;
        if (total > maxPayload)
            throw new NatsPayloadTooLargeException($"Message of {total} bytes (headers + payload) exceeds the server's max_payload of {maxPayload} bytes");
        if (string.IsNullOrEmpty(subject)) throw new ArgumentException("Subject must not be empty", nameof(subject));

        // Worst case: "HPUB " subject ' ' reply ' ' hdr ' ' total CRLF body CRLF (UTF-8 ≤ 3 bytes per char).
        var reserve = 5 + (subject.Length * 3) + 1 + (replyTo is null ? 0 : (replyTo.Length * 3) + 1) + 11 + 11 + 2 + total + 2;
        lock (_lock)
        {
            if (_closed) throw new NatsConnectionClosedException();
            if (!_connected)
            {
                if (_length + reserve > _reconnectLimit)
                    throw new NatsReconnectBufferFullException($"Disconnected and the reconnect buffer ({_reconnectLimit} bytes) is full");
            }
            else if (_length > 0 && _length + reserve > _highWater)
            {
                return false;
            }
            EnsureCapacity(reserve);
            var dest = _active.AsSpan(_length);
            int pos;
            if (headers is null)
            {
                "PUB "u8.CopyTo(dest);
                pos = 4;
            }
            else
            {
                "HPUB "u8.CopyTo(dest);
                pos = 5;
            }
            pos += WriteToken(subject, dest[pos..], nameof(subject));
            dest[pos++] = (byte)' ';
            if (replyTo is not null)
            {
                pos += WriteToken(replyTo, dest[pos..], nameof(replyTo));
                dest[pos++] = (byte)' ';
            }
            if (headers is not null)
            {
                Utf8Formatter.TryFormat(headerLength, dest[pos..], out var w);
                pos += w;
                dest[pos++] = (byte)' ';
            }
            Utf8Formatter.TryFormat(total, dest[pos..], out var written);
            pos += written;
            dest[pos++] = (byte)'\r';
            dest[pos++] = (byte)'\n';
            if (headers is not null) pos += headers.WriteTo(dest[pos..]);
            payload.CopyTo(dest[pos..]);
            pos += payload.Length;
            dest[pos++] = (byte)'\r';
            dest[pos++] = (byte)'\n';
            _length += pos;
            _metrics.MsgsOut++;
            _metrics.BytesOut += total;
            WakeLoop();
        }
        return true;
    }

    /// <summary>SUB sid [queue] — always buffered, even while disconnected: a duplicate SUB of a sid is a no-op on the server.</summary>
    public void WriteSub(string subject, string? queueGroup, int sid)
    {
        Span<byte> tmp = stackalloc byte[11];
        lock (_lock)
        {
            if (_closed) throw new NatsConnectionClosedException();
            EnsureCapacity(4 + (subject.Length * 3) + 1 + (queueGroup is null ? 0 : (queueGroup.Length * 3) + 1) + 11 + 2);
            var dest = _active.AsSpan(_length);
            "SUB "u8.CopyTo(dest);
            var pos = 4;
            pos += WriteToken(subject, dest[pos..], nameof(subject));
            dest[pos++] = (byte)' ';
            if (queueGroup is not null)
            {
                pos += WriteToken(queueGroup, dest[pos..], nameof(queueGroup));
                dest[pos++] = (byte)' ';
            }
            Utf8Formatter.TryFormat(sid, dest[pos..], out var w);
            pos += w;
            dest[pos++] = (byte)'\r';
            dest[pos++] = (byte)'\n';
            _length += pos;
            WakeLoop();
        }
    }

    /// <summary>UNSUB sid [max] (§1.5); ignored once closed.</summary>
    public void WriteUnsub(int sid, int? max)
    {
        lock (_lock)
        {
            if (_closed) return;
            EnsureCapacity(6 + 11 + 1 + 11 + 2);
            var dest = _active.AsSpan(_length);
            _length += FormatUnsub(dest, sid, max);
            WakeLoop();
        }
    }

    public static int FormatUnsub(Span<byte> dest, int sid, int? max)
    {
        "UNSUB "u8.CopyTo(dest);
        var pos = 6;
        Utf8Formatter.TryFormat(sid, dest[pos..], out var w);
        pos += w;
        if (max is { } m)
        {
            dest[pos++] = (byte)' ';
            Utf8Formatter.TryFormat(m, dest[pos..], out w);
            pos += w;
        }
        dest[pos++] = (byte)'\r';
        dest[pos++] = (byte)'\n';
        return pos;
    }

    /// <summary>Answer to a server PING (§1.4 step 5). Only while connected: a stale PONG is useless after a reconnect.</summary>
    public void WritePong()
    {
        lock (_lock)
        {
            if (!_connected) return;
            AppendRaw("PONG\r\n"u8);
        }
    }

    /// <summary>PING with an optional waiter that the matching PONG completes (flush); null = keep-alive.</summary>
    public void WritePing(TaskCompletionSource? waiter)
    {
        lock (_lock)
        {
            if (_closed) throw new NatsConnectionClosedException();
            AppendRaw("PING\r\n"u8);
            _pongWaiters.Enqueue(waiter);
            _pingsInActive++;
        }
    }

    /// <summary>A PONG arrived: completes the oldest PING's waiter (the server answers in order).</summary>
    public void OnPong()
    {
        TaskCompletionSource? waiter = null;
        lock (_lock)
        {
            if (_pongWaiters.Count > _pingsInActive) waiter = _pongWaiters.Dequeue();
        }
        waiter?.TrySetResult();
    }

    /// <summary>Waits until publishers may write again (buffer drained below the mark, disconnected, or closed).</summary>
    public Task WaitForSpaceAsync(CancellationToken cancellationToken)
    {
        Task task;
        lock (_lock)
        {
            if (!_connected || _closed || _length == 0) return Task.CompletedTask;
            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            task = _drained.Task;
        }
        return task.WaitAsync(cancellationToken);
    }

    /// <summary>A new socket is ready (handshake and re-SUBs done): what was buffered goes out first.</summary>
    public int Attach()
    {
        lock (_lock)
        {
            _connected = true;
            return ++_epoch;
        }
    }

    /// <summary>
    /// The socket failed: PINGs already handed to it will never be answered, so their waiters fail; PINGs still in the
    /// buffer stay queued and complete after the reconnect.
    /// </summary>
    public void Detach(Exception reason)
    {
        List<TaskCompletionSource>? lost = null;
        lock (_lock)
        {
            _connected = false;
            _epoch++;
            while (_pongWaiters.Count > _pingsInActive)
            {
                var w = _pongWaiters.Dequeue();
                if (w is not null) (lost ??= []).Add(w);
            }
            ReleaseWaitersLocked();
        }
        if (lost is not null)
            foreach (var w in lost) w.TrySetException(new NatsException("The connection was lost before the server answered the flush", reason));
    }

    /// <summary>Closed for good: pending waiters fail and writes throw.</summary>
    public void Close()
    {
        List<TaskCompletionSource>? lost = null;
        lock (_lock)
        {
            _closed = true;
            _connected = false;
            _epoch++;
            while (_pongWaiters.Count > 0)
            {
                var w = _pongWaiters.Dequeue();
                if (w is not null) (lost ??= []).Add(w);
            }
            _pingsInActive = 0;
            _length = 0;
            ReleaseWaitersLocked();
        }
        if (lost is not null)
            foreach (var w in lost) w.TrySetException(new NatsConnectionClosedException());
    }

    /// <summary>Writes buffered commands to <paramref name="stream"/> until the epoch changes, the token fires or a write fails.</summary>
    public async Task RunSendLoopAsync(Stream stream, int epoch, CancellationToken cancellationToken)
    {
        while (true)
        {
            byte[]? chunk = null;
            var length = 0;
            ValueTask wait = default;
            lock (_lock)
            {
                if (_epoch != epoch || _closed) return;
                if (_length == 0)
                {
                    _wake.Reset();
                    _loopIdle = true;
                    wait = new ValueTask(this, _wake.Version);
                }
                else
                {
                    chunk = _active;
                    length = _length;
                    _active = _spare ?? new byte[InitialBufferSize];
                    _spare = null;
                    _length = 0;
                    _pingsInActive = 0;
                    ReleaseWaitersLocked();
                }
            }
            if (chunk is null)
            {
                await wait.ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                continue;
            }
            await stream.WriteAsync(chunk.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                // Keep the larger buffer as the spare; one that grew past the mark is let go.
                if (chunk.Length <= Math.Max(_highWater, InitialBufferSize) * 2 && (_spare is null || _spare.Length < chunk.Length)) _spare = chunk;
            }
        }
    }

    /// <summary>Wakes a send loop that is waiting (e.g. to make it notice cancellation).</summary>
    public void Wake()
    {
        lock (_lock) WakeLoop();
    }

    private void AppendRaw(ReadOnlySpan<byte> bytes)
    {
        EnsureCapacity(bytes.Length);
        bytes.CopyTo(_active.AsSpan(_length));
        _length += bytes.Length;
        WakeLoop();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EnsureCapacity(int bytes)
    {
        if (_active.Length - _length >= bytes) return;
        Grow(bytes);
    }

    private void Grow(int bytes)
    {
        var size = Math.Max(_active.Length * 2, _length + bytes);
        var bigger = GC.AllocateUninitializedArray<byte>(size);
        _active.AsSpan(0, _length).CopyTo(bigger);
        _active = bigger;
    }

    private void WakeLoop()
    {
        if (!_loopIdle) return;
        _loopIdle = false;
        _wake.SetResult(true);
    }

    private void ReleaseWaitersLocked()
    {
        var drained = _drained;
        _drained = null;
        drained?.TrySetResult();
        WakeLoop();
    }

    // Subjects, reply subjects and queue groups are whitespace-free tokens (§1.8); written as UTF-8 and checked in place.
    private static int WriteToken(string value, Span<byte> dest, string paramName)
    {
        if (value.Length == 0) throw new ArgumentException("Must not be empty", paramName);
        var n = Encoding.UTF8.GetBytes(value, dest);
        if (dest[..n].IndexOfAny(" \t\r\n"u8) >= 0) throw new ArgumentException($"'{value}' must not contain whitespace", paramName);
        return n;
    }

    void IValueTaskSource.GetResult(short token) => _wake.GetResult(token);

    ValueTaskSourceStatus IValueTaskSource.GetStatus(short token) => _wake.GetStatus(token);

    void IValueTaskSource.OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) =>
        _wake.OnCompleted(continuation, state, token, flags);
}
