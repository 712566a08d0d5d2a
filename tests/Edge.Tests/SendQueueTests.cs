namespace Certstream.Edge.Tests;

public sealed class SendQueueTests
{
    [Fact]
    public void The_queue_is_bounded_by_bytes_not_by_message_count()
    {
        var queue = new SendQueue(100);

        Assert.True(queue.TryEnqueue(new byte[60]));
        Assert.True(queue.TryEnqueue(new byte[40]));
        Assert.False(queue.TryEnqueue(new byte[1]));
        Assert.Equal(100, queue.QueuedBytes);

        Assert.True(queue.TryDequeue(out var first));
        queue.Release(first.Length);
        Assert.True(queue.TryEnqueue(new byte[60]));
        Assert.False(queue.TryEnqueue(new byte[1]));
    }

    [Fact]
    public void A_message_larger_than_the_bound_passes_only_into_an_empty_queue()
    {
        var queue = new SendQueue(100);

        Assert.True(queue.TryEnqueue(new byte[500]));
        Assert.False(queue.TryEnqueue(new byte[500]));
        Assert.False(queue.TryEnqueue(new byte[1]));
    }

    [Fact]
    public void Queued_messages_are_the_published_memory_not_copies()
    {
        var queue = new SendQueue(100);
        var message = new byte[] { 1, 2, 3 };

        queue.TryEnqueue(message);
        queue.TryDequeue(out var dequeued);

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(dequeued, out var segment));
        Assert.Same(message, segment.Array);
    }

    [Fact]
    public async Task Completing_wakes_the_reader_and_refuses_new_messages()
    {
        var queue = new SendQueue(100);
        var waiting = queue.WaitToReadAsync(CancellationToken.None).AsTask();

        queue.Complete();

        Assert.False(await waiting);
        Assert.False(queue.TryEnqueue(new byte[1]));
        Assert.Equal(0, queue.QueuedBytes);
    }
}
