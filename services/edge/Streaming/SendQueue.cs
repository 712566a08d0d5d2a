using System.Threading.Channels;

namespace Certstream.Edge;

/// <summary>
/// One client's outgoing messages: references to the shared byte arrays the hub received, bounded by their
/// total size (<c>client_buffer</c>, README "WebSocket and HTTP API"). Many producers (the NATS thread, the heartbeat monitor), one consumer
/// (the session's writer loop). Nothing here is shared between clients, so one client never contends with another.
/// </summary>
internal sealed class SendQueue
{
    private readonly Channel<ReadOnlyMemory<byte>> _channel = Channel.CreateUnbounded<ReadOnlyMemory<byte>>(
        new UnboundedChannelOptions
        {
            SingleReader = true,
            SingleWriter = false,
            // The producer is the hub's publish path: never run the writer loop inline on it.
            AllowSynchronousContinuations = false,
        });

    private readonly long _capacityBytes;
    private long _queuedBytes;

    public SendQueue(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacityBytes);
        _capacityBytes = capacityBytes;
    }

    /// <summary>Bytes queued or being written.</summary>
    public long QueuedBytes => Volatile.Read(ref _queuedBytes);

    /// <summary>
    /// Adds the message unless that would exceed the byte bound. A message larger than the whole bound still goes
    /// through when the queue is empty, so a small <c>client_buffer</c> cannot starve a client forever.
    /// </summary>
    public bool TryEnqueue(ReadOnlyMemory<byte> message)
    {
        var length = message.Length;
        var after = Interlocked.Add(ref _queuedBytes, length);
        if (after > _capacityBytes && after != length)
        {
            Interlocked.Add(ref _queuedBytes, -length);
            return false;
        }
        if (!_channel.Writer.TryWrite(message))
        {
            Interlocked.Add(ref _queuedBytes, -length);
            return false;
        }
        return true;
    }

    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) =>
        _channel.Reader.WaitToReadAsync(cancellationToken);

    public bool TryDequeue(out ReadOnlyMemory<byte> message) => _channel.Reader.TryRead(out message);

    /// <summary>Called by the writer once a dequeued message has been handed to the socket.</summary>
    public void Release(int length) => Interlocked.Add(ref _queuedBytes, -length);

    /// <summary>No more messages; wakes the writer. Queued messages stay readable (the writer decides to drop them).</summary>
    public void Complete() => _channel.Writer.TryComplete();
}
