using Certstream.Ingestor.Logs;

namespace Certstream.Ingestor.Tests.Logs;

/// <summary>The service-wide fetch buffer (<c>ingestor.fetch_buffer</c>): room is handed out in order and given back.</summary>
public sealed class FetchBufferTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Reservations_that_fit_are_held_at_once_and_the_next_waits_for_room()
    {
        var buffer = new FetchBuffer(100);
        using var a = await buffer.ReserveAsync(60, CancellationToken.None);
        using var b = await buffer.ReserveAsync(40, CancellationToken.None);
        Assert.Equal(100, buffer.Held);

        var c = buffer.ReserveAsync(10, CancellationToken.None).AsTask();
        Assert.False(c.IsCompleted);
        b.Dispose();
        using var third = await c.WaitAsync(Patience);
        Assert.Equal(70, buffer.Held);
    }

    [Fact]
    public async Task Waiters_are_admitted_in_arrival_order_so_a_large_one_is_not_starved_by_small_ones()
    {
        var buffer = new FetchBuffer(100);
        var first = await buffer.ReserveAsync(90, CancellationToken.None);
        var large = buffer.ReserveAsync(80, CancellationToken.None).AsTask();
        // Would fit beside the first, but queues behind the large one.
        var small = buffer.ReserveAsync(5, CancellationToken.None).AsTask();
        Assert.False(large.IsCompleted);
        Assert.False(small.IsCompleted);

        first.Dispose();
        using var l = await large.WaitAsync(Patience);
        using var s = await small.WaitAsync(Patience);
        Assert.Equal(85, buffer.Held);
    }

    [Fact]
    public async Task A_reservation_larger_than_the_buffer_goes_alone()
    {
        var buffer = new FetchBuffer(100);
        using (var huge = await buffer.ReserveAsync(500, CancellationToken.None))
        {
            Assert.Equal(500, buffer.Held);
            var next = buffer.ReserveAsync(1, CancellationToken.None).AsTask();
            Assert.False(next.IsCompleted);
            huge.Dispose();
            using var n = await next.WaitAsync(Patience);
        }
        Assert.Equal(0, buffer.Held);
    }

    [Fact]
    public async Task Shrinking_a_reservation_to_what_the_answer_holds_lets_the_next_in()
    {
        var buffer = new FetchBuffer(100);
        using var estimate = await buffer.ReserveAsync(100, CancellationToken.None);
        var next = buffer.ReserveAsync(50, CancellationToken.None).AsTask();
        Assert.False(next.IsCompleted);

        estimate.Resize(30);
        using var n = await next.WaitAsync(Patience);
        Assert.Equal(80, buffer.Held);
        // Growing past the buffer is allowed (the answer is already here); it only holds the next ones back.
        estimate.Resize(90);
        Assert.Equal(140, buffer.Held);
    }

    [Fact]
    public async Task A_cancelled_waiter_leaves_the_queue_and_the_ones_behind_it_move_up()
    {
        var buffer = new FetchBuffer(100);
        var held = await buffer.ReserveAsync(60, CancellationToken.None);
        using var cts = new CancellationTokenSource();
        var cancelled = buffer.ReserveAsync(50, cts.Token).AsTask();
        var behind = buffer.ReserveAsync(40, CancellationToken.None).AsTask();
        Assert.False(behind.IsCompleted);

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        using var b = await behind.WaitAsync(Patience);
        Assert.Equal(100, buffer.Held);
        held.Dispose();
        b.Dispose();
        Assert.Equal(0, buffer.Held);
    }

    [Fact]
    public async Task Disposing_twice_gives_the_room_back_once()
    {
        var buffer = new FetchBuffer(100);
        var a = await buffer.ReserveAsync(30, CancellationToken.None);
        using var b = await buffer.ReserveAsync(20, CancellationToken.None);
        a.Dispose();
        a.Dispose();
        Assert.Equal(20, buffer.Held);
    }
}
