using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Threading.Channels;
using Certstream.Nats.Internal;

namespace Certstream.Nats;

/// <summary>
/// A subscription with its own bounded queue. The read loop never waits for it: when the queue is full (messages
/// or bytes) new messages are dropped and counted (§1.9), and <see cref="NatsConnection.SlowConsumerDetected"/> fires
/// once per episode. Consume with <c>await foreach</c> or through <see cref="Msgs"/>.
/// </summary>
public sealed class NatsSubscription : IAsyncEnumerable<NatsMsg>, IAsyncDisposable, IMsgSink
{
    private readonly NatsConnection _connection;
    private readonly Channel<NatsMsg> _channel;
    private readonly byte[] _subjectBytes;
    private readonly long _bytesLimit;
    private readonly int? _maxMsgs;
    private long _pendingBytes;
    private long _dropped;
    private long _delivered;
    private bool _slow;
    private int _completed;

    internal NatsSubscription(NatsConnection connection, int sid, string subject, string? queueGroup, int msgsLimit, long bytesLimit, int? maxMsgs)
    {
        _connection = connection;
        Sid = sid;
        Subject = subject;
        QueueGroup = queueGroup;
        _subjectBytes = Encoding.UTF8.GetBytes(subject);
        _bytesLimit = bytesLimit;
        _maxMsgs = maxMsgs;
        _channel = Channel.CreateBounded<NatsMsg>(new BoundedChannelOptions(msgsLimit)
        {
            FullMode = BoundedChannelFullMode.Wait, // TryWrite then fails instead of evicting; we drop and count
            SingleWriter = true,
            SingleReader = false,
        });
        Msgs = new Reader(this);
    }

    public int Sid { get; }

    public string Subject { get; }

    public string? QueueGroup { get; }

    /// <summary>The queue. Reading through it keeps the byte accounting right; completes when the subscription ends.</summary>
    public ChannelReader<NatsMsg> Msgs { get; }

    /// <summary>Messages dropped because the queue was full.</summary>
    public long DroppedCount => Interlocked.Read(ref _dropped);

    /// <summary>Messages received for this subscription (queued or dropped).</summary>
    public long ReceivedCount => Interlocked.Read(ref _delivered);

    public long PendingBytes => Interlocked.Read(ref _pendingBytes);

    int? IMsgSink.RemainingMsgs => _maxMsgs is { } max ? (int)Math.Max(0, max - Interlocked.Read(ref _delivered)) : null;

    public IAsyncEnumerator<NatsMsg> GetAsyncEnumerator(CancellationToken cancellationToken = default) =>
        Msgs.ReadAllAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);

    /// <summary>Sends UNSUB and completes the queue; messages already queued can still be read.</summary>
    public ValueTask UnsubscribeAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        _connection.Unsubscribe(this);
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync() => UnsubscribeAsync(CancellationToken.None);

    void IMsgSink.Deliver(ReadOnlySpan<byte> subject, ReadOnlySpan<byte> replyTo, int headerLength, in ReadOnlySequence<byte> body)
    {
        if (Volatile.Read(ref _completed) != 0) return;
        var delivered = Interlocked.Increment(ref _delivered);
        var size = body.Length;
        if (Interlocked.Read(ref _pendingBytes) + size > _bytesLimit || !TryEnqueue(subject, replyTo, headerLength, body))
        {
            Interlocked.Increment(ref _dropped);
            _connection.OnDropped(this, _slow);
            _slow = true;
        }
        else
        {
            _slow = false;
        }
        if (_maxMsgs is { } max && delivered >= max) _connection.OnAutoUnsubscribed(this);
    }

    void IMsgSink.Complete()
    {
        if (Interlocked.Exchange(ref _completed, 1) == 0) _channel.Writer.TryComplete();
    }

    private bool TryEnqueue(ReadOnlySpan<byte> subject, ReadOnlySpan<byte> replyTo, int headerLength, in ReadOnlySequence<byte> body)
    {
        // Plain subscriptions see their own subject every time: reuse the string instead of decoding it per message.
        var subjectString = subject.SequenceEqual(_subjectBytes) ? Subject : Encoding.UTF8.GetString(subject);
        var msg = NatsConnection.BuildMsg(subjectString, replyTo, headerLength, body);
        Interlocked.Add(ref _pendingBytes, body.Length);
        if (_channel.Writer.TryWrite(msg)) return true;
        Interlocked.Add(ref _pendingBytes, -body.Length);
        return false;
    }

    private void OnRead(in NatsMsg msg) => Interlocked.Add(ref _pendingBytes, -msg.WireSize);

    // Wraps the channel's reader so that every dequeue releases its bytes from the byte bound.
    private sealed class Reader(NatsSubscription owner) : ChannelReader<NatsMsg>
    {
        private readonly ChannelReader<NatsMsg> _inner = owner._channel.Reader;

        public override Task Completion => _inner.Completion;

        public override bool CanCount => true;

        public override int Count => _inner.Count;

        public override bool TryRead([MaybeNullWhen(false)] out NatsMsg item)
        {
            if (!_inner.TryRead(out item)) return false;
            owner.OnRead(item);
            return true;
        }

        public override bool TryPeek([MaybeNullWhen(false)] out NatsMsg item) => _inner.TryPeek(out item);

        public override ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken = default) => _inner.WaitToReadAsync(cancellationToken);
    }
}
