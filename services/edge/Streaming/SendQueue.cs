using System.Threading.Channels;

namespace Certstream.Edge;

/// <summary>One queued message: the shared bytes, and for an SSE client the event id (<c>data.seen</c>) that goes with them.</summary>
internal readonly record struct Outgoing(ReadOnlyMemory<byte> Data, string? EventId);

/// <summary>
/// One client's outgoing messages: references to the shared byte arrays the hub received, bounded by their
/// total size (<c>client_buffer</c>, README "WebSocket and HTTP API"). Many producers (the NATS thread, the heartbeat monitor,
/// a resumed client's history reader), one consumer (the session's writer loop). Nothing here is shared between clients,
/// so one client never contends with another.
/// </summary>
internal sealed class SendQueue
{
    private readonly Channel<Outgoing> _channel = Channel.CreateUnbounded<Outgoing>(
        new UnboundedChannelOptions
        {
            SingleReader = true,
            SingleWriter = false,
            // The producer is the hub's publish path: never run the writer loop inline on it.
            AllowSynchronousContinuations = false,
        });

    private readonly long _capacityBytes;
    private long _queuedBytes;
    private TaskCompletionSource? _spaceWaiter;
    private volatile bool _completed;

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
    public bool TryEnqueue(ReadOnlyMemory<byte> message, string? eventId = null)
    {
        var length = message.Length;
        var after = Interlocked.Add(ref _queuedBytes, length);
        if (after > _capacityBytes && after != length)
        {
            Interlocked.Add(ref _queuedBytes, -length);
            return false;
        }
        if (!_channel.Writer.TryWrite(new Outgoing(message, eventId)))
        {
            Interlocked.Add(ref _queuedBytes, -length);
            return false;
        }
        return true;
    }

    /// <summary>
    /// Adds the message, waiting for room instead of refusing it (a resumed client's replay is paced by the client, never
    /// dropped). False when the queue was completed, or when there was no room for <paramref name="patience"/>.
    /// One waiting producer at a time.
    /// </summary>
    public async ValueTask<bool> EnqueueAsync(ReadOnlyMemory<byte> message, string? eventId, TimeSpan patience, CancellationToken cancellationToken)
    {
        if (TryEnqueue(message, eventId)) return true;
        var bounded = patience > TimeSpan.Zero;
        var deadline = Environment.TickCount64 + (long)patience.TotalMilliseconds;
        while (!_completed)
        {
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _spaceWaiter, waiter);
            // Room may have been made between the failed attempt and registering: try again before sleeping.
            if (TryEnqueue(message, eventId)) return true;
            var left = deadline - Environment.TickCount64;
            if (bounded && left <= 0) return false;
            try
            {
                await waiter.Task.WaitAsync(bounded ? TimeSpan.FromMilliseconds(left) : Timeout.InfiniteTimeSpan, cancellationToken);
            }
            catch (TimeoutException)
            {
                return false;
            }
            if (TryEnqueue(message, eventId)) return true;
        }
        return false;
    }

    public ValueTask<bool> WaitToReadAsync(CancellationToken cancellationToken) =>
        _channel.Reader.WaitToReadAsync(cancellationToken);

    public bool TryDequeue(out Outgoing message) => _channel.Reader.TryRead(out message);

    /// <summary>Called by the writer once a dequeued message has been handed to the socket.</summary>
    public void Release(int length)
    {
        Interlocked.Add(ref _queuedBytes, -length);
        if (Volatile.Read(ref _spaceWaiter) is { } waiter) Interlocked.CompareExchange(ref _spaceWaiter, null, waiter)?.TrySetResult();
    }

    /// <summary>No more messages; wakes the writer and a waiting producer. Queued messages stay readable (the writer decides to drop them).</summary>
    public void Complete()
    {
        _completed = true;
        _channel.Writer.TryComplete();
        Interlocked.Exchange(ref _spaceWaiter, null)?.TrySetResult();
    }
}
