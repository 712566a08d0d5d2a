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
        queue.Release(first.Data.Length);
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

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(dequeued.Data, out var segment));
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

    [Fact]
    public async Task A_waiting_producer_gets_room_when_the_writer_releases_and_gives_up_after_its_patience()
    {
        var queue = new SendQueue(100);
        Assert.True(queue.TryEnqueue(new byte[100]));

        var waiting = queue.EnqueueAsync(new byte[50], "1.5", TimeSpan.FromSeconds(30), CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        Assert.True(queue.TryDequeue(out var first));
        queue.Release(first.Data.Length);
        Assert.True(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(queue.TryDequeue(out var second));
        Assert.Equal("1.5", second.EventId);
        queue.Release(second.Data.Length);

        Assert.True(queue.TryEnqueue(new byte[100]));
        Assert.False(await queue.EnqueueAsync(new byte[1], null, TimeSpan.FromMilliseconds(50), CancellationToken.None));
    }

    [Fact]
    public async Task Completing_releases_a_waiting_producer_with_false()
    {
        var queue = new SendQueue(100);
        Assert.True(queue.TryEnqueue(new byte[100]));
        var waiting = queue.EnqueueAsync(new byte[1], null, TimeSpan.Zero, CancellationToken.None).AsTask();

        queue.Complete();

        Assert.False(await waiting.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
