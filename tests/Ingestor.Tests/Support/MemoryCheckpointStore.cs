using System.Collections.Concurrent;
using Certstream.Ingestor.Checkpoints;

namespace Certstream.Ingestor.Tests.Support;

/// <summary>An in-memory <see cref="ICheckpointStore"/> that records every write and lets a test await one.</summary>
internal sealed class MemoryCheckpointStore : ICheckpointStore
{
    private readonly ConcurrentDictionary<string, LogCheckpoint> _saved = new();
    private readonly List<(string Key, LogCheckpoint Checkpoint)> _writes = [];
    private readonly List<(Func<string, LogCheckpoint, bool> Condition, TaskCompletionSource Done)> _waiters = [];

    public IReadOnlyList<(string Key, LogCheckpoint Checkpoint)> Writes
    {
        get { lock (_writes) return [.. _writes]; }
    }

    public LogCheckpoint? this[string key] => _saved.TryGetValue(key, out var checkpoint) ? checkpoint : null;

    public void Seed(string key, LogCheckpoint checkpoint) => _saved[key] = checkpoint;

    public ValueTask<LogCheckpoint?> GetAsync(string logKey, CancellationToken cancellationToken) => ValueTask.FromResult(this[logKey]);

    public ValueTask PutAsync(string logKey, LogCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        _saved[logKey] = checkpoint;
        lock (_writes)
        {
            _writes.Add((logKey, checkpoint));
            foreach (var waiter in _waiters.Where(w => w.Condition(logKey, checkpoint)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Completes when a checkpoint with next_index ≥ <paramref name="nextIndex"/> is written for <paramref name="key"/>.</summary>
    public Task WhenSavedAsync(string key, ulong nextIndex)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_writes)
        {
            if (_writes.Any(w => w.Key == key && w.Checkpoint.NextIndex >= nextIndex)) return Task.CompletedTask;
            _waiters.Add(((k, c) => k == key && c.NextIndex >= nextIndex, done));
        }
        return done.Task;
    }
}
