using Certstream.Ingestor.Checkpoints;
using Certstream.Ingestor.Tests.Support;

namespace Certstream.Ingestor.Tests.Checkpoints;

public sealed class CheckpointTrackerTests
{
    private static CheckpointTracker Tracker(MemoryCheckpointStore store, ulong next = 100, Action<ulong, Exception?>? onFailed = null) =>
        new("log", new LogCheckpoint(next, next, DateTimeOffset.UnixEpoch), store, TimeProvider.System, onFailed ?? ((_, _) => { }));

    [Fact]
    public void The_checkpoint_advances_only_over_the_contiguous_acked_prefix()
    {
        var tracker = Tracker(new MemoryCheckpointStore());

        tracker.Acked(102);
        tracker.Acked(101);
        Assert.Equal(100UL, tracker.NextIndex);

        tracker.Acked(100);
        Assert.Equal(103UL, tracker.NextIndex);

        tracker.Acked(105);
        tracker.Acked(104);
        tracker.Acked(103);
        Assert.Equal(106UL, tracker.NextIndex);
    }

    [Fact]
    public void Repeated_and_old_acks_are_ignored()
    {
        var tracker = Tracker(new MemoryCheckpointStore());

        tracker.Acked(100);
        tracker.Acked(100);
        tracker.Acked(50);
        tracker.Acked(102);
        tracker.Acked(102);

        Assert.Equal(101UL, tracker.NextIndex);
        tracker.Acked(101);
        Assert.Equal(103UL, tracker.NextIndex);
    }

    [Fact]
    public async Task Ack_tasks_completing_out_of_order_advance_the_checkpoint_when_the_gap_closes()
    {
        var tracker = Tracker(new MemoryCheckpointStore());
        var acks = Enumerable.Range(0, 5).Select(_ => new TaskCompletionSource()).ToArray();
        for (var i = 0; i < acks.Length; i++) tracker.Track(100 + (ulong)i, acks[i].Task);

        foreach (var i in new[] { 4, 2, 3, 1 }) acks[i].SetResult();
        Assert.Equal(100UL, tracker.NextIndex);
        Assert.Equal(1, tracker.Pending);

        acks[0].SetResult();
        Assert.Equal(105UL, tracker.NextIndex);
        Assert.Equal(0, tracker.Pending);
        await tracker.WaitDrainedAsync(TimeSpan.FromSeconds(5), CancellationToken.None);
    }

    [Fact]
    public void A_failed_ack_is_reported_and_holds_the_checkpoint()
    {
        var failed = new List<ulong>();
        var tracker = Tracker(new MemoryCheckpointStore(), onFailed: (index, _) => failed.Add(index));

        tracker.Track(100, Task.CompletedTask);
        tracker.Track(101, Task.FromException(new InvalidOperationException("no ack")));
        tracker.Track(102, Task.CompletedTask);

        Assert.Equal(new ulong[] { 101 }, failed);
        Assert.Equal(101UL, tracker.NextIndex);
    }

    [Fact]
    public async Task Saves_write_only_when_the_position_moved()
    {
        var store = new MemoryCheckpointStore();
        var tracker = Tracker(store);

        Assert.False(await tracker.SaveIfChangedAsync(CancellationToken.None));
        tracker.Acked(100);
        tracker.ObserveTreeSize(500);
        Assert.True(await tracker.SaveIfChangedAsync(CancellationToken.None));
        Assert.False(await tracker.SaveIfChangedAsync(CancellationToken.None));

        var saved = store["log"]!;
        Assert.Equal(101UL, saved.NextIndex);
        Assert.Equal(500UL, saved.TreeSize);
    }

    [Fact]
    public async Task Waiting_for_in_flight_acks_gives_up_after_the_grace_period()
    {
        var tracker = Tracker(new MemoryCheckpointStore());
        tracker.Track(100, new TaskCompletionSource().Task);

        await tracker.WaitDrainedAsync(TimeSpan.FromMilliseconds(50), CancellationToken.None);

        Assert.Equal(1, tracker.Pending);
        Assert.Equal(100UL, tracker.NextIndex);
    }
}
