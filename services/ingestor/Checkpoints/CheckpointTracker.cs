namespace Certstream.Ingestor.Checkpoints;

/// <summary>
/// Follows the JetStream acks of one log and keeps its checkpoint at the end of the contiguous acked
/// prefix (docs/ingest.md): acks arrive out of order across ranges, so indices acked ahead of the prefix wait in
/// a set until the gap below them closes. After a crash at most the un-checkpointed tail is fetched
/// again; the stream's duplicate window drops the repeats.
/// </summary>
internal sealed class CheckpointTracker
{
    private readonly Lock _gate = new();
    private readonly HashSet<ulong> _ackedAhead = [];
    private readonly string _logKey;
    private readonly ICheckpointStore _store;
    private readonly TimeProvider _time;
    private readonly Action<ulong, Exception?> _onPublishFailed;
    private ulong _next;
    private ulong _treeSize;
    private ulong _savedNext;
    private ulong _savedTreeSize;
    private int _pending;
    private TaskCompletionSource? _drained;

    /// <param name="onPublishFailed">Called (on the ack's thread) when an ack task faults or is cancelled.</param>
    public CheckpointTracker(string logKey, LogCheckpoint start, ICheckpointStore store, TimeProvider time, Action<ulong, Exception?> onPublishFailed)
    {
        _logKey = logKey;
        _store = store;
        _time = time;
        _onPublishFailed = onPublishFailed;
        _next = _savedNext = start.NextIndex;
        _treeSize = _savedTreeSize = Math.Max(start.TreeSize, start.NextIndex);
    }

    /// <summary>Everything below this index is acked.</summary>
    public ulong NextIndex
    {
        get { lock (_gate) return _next; }
    }

    public ulong TreeSize
    {
        get { lock (_gate) return _treeSize; }
    }

    /// <summary>Publishes not yet acked (or failed).</summary>
    public int Pending
    {
        get { lock (_gate) return _pending; }
    }

    /// <summary>Records a publish whose ack task completes when JetStream acked <paramref name="index"/>.</summary>
    public void Track(ulong index, Task ack)
    {
        lock (_gate) _pending++;
        if (ack.IsCompleted)
        {
            Completed(index, ack);
            return;
        }
        ack.ContinueWith(static (task, state) =>
        {
            var (tracker, index) = ((CheckpointTracker, ulong))state!;
            tracker.Completed(index, task);
        }, (this, index), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>Marks <paramref name="index"/> acked; a repeat or an index below the prefix is ignored.</summary>
    public void Acked(ulong index)
    {
        lock (_gate)
        {
            if (index < _next) return;
            if (index != _next)
            {
                _ackedAhead.Add(index);
                return;
            }
            _next++;
            while (_ackedAhead.Remove(_next)) _next++;
            if (_next > _treeSize) _treeSize = _next;
        }
    }

    public void ObserveTreeSize(ulong treeSize)
    {
        lock (_gate)
        {
            if (treeSize > _treeSize) _treeSize = treeSize;
        }
    }

    public LogCheckpoint Snapshot()
    {
        lock (_gate) return new LogCheckpoint(_next, _treeSize, _time.GetUtcNow());
    }

    /// <summary>Writes the checkpoint when it moved since the last write; returns whether it wrote.</summary>
    public async Task<bool> SaveIfChangedAsync(CancellationToken cancellationToken)
    {
        var snapshot = Snapshot();
        lock (_gate)
        {
            if (snapshot.NextIndex == _savedNext && snapshot.TreeSize == _savedTreeSize) return false;
        }
        await _store.PutAsync(_logKey, snapshot, cancellationToken);
        lock (_gate)
        {
            _savedNext = snapshot.NextIndex;
            _savedTreeSize = snapshot.TreeSize;
        }
        return true;
    }

    /// <summary>Completes when no publish is pending, or when <paramref name="timeout"/> passed (then in-flight acks are abandoned).</summary>
    public async Task WaitDrainedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        Task drained;
        lock (_gate)
        {
            if (_pending == 0) return;
            _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            drained = _drained.Task;
        }
        try
        {
            await drained.WaitAsync(timeout, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            // Abandoned: the checkpoint stays below the un-acked entries, so a restart fetches them again.
        }
    }

    private void Completed(ulong index, Task ack)
    {
        if (ack.IsCompletedSuccessfully) Acked(index);
        else _onPublishFailed(index, ack.Exception?.GetBaseException());
        TaskCompletionSource? drained = null;
        lock (_gate)
        {
            _pending--;
            if (_pending == 0)
            {
                drained = _drained;
                _drained = null;
            }
        }
        drained?.TrySetResult();
    }
}
