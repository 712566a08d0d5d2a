using System.Collections.Concurrent;
using Certstream.Ingestor.Logs;
using Certstream.Ingestor.Publishing;

namespace Certstream.Ingestor.Tests.Support;

/// <summary>
/// An in-memory <see cref="IEntryPublisher"/>: records every (log, index) with its leaf, acks at once unless
/// <see cref="AckFor"/> says otherwise, and lets a test await a count of distinct indices per log.
/// </summary>
internal sealed class RecordingPublisher : IEntryPublisher
{
    private readonly ConcurrentDictionary<(string Log, ulong Index), int> _counts = new();
    private readonly ConcurrentDictionary<(string Log, ulong Index), byte[]> _leaves = new();
    private readonly List<(string Log, int Count, TaskCompletionSource Done)> _waiters = [];

    /// <summary>Decides the ack task of a publish (default: already acked). Called once per publish.</summary>
    public Func<string, ulong, Task>? AckFor { get; set; }

    public ValueTask<Task> PublishAsync(LogDescriptor log, ulong index, ReadOnlyMemory<byte> leafInput, ReadOnlyMemory<byte> extraData,
        DateTimeOffset fetchedAt, CancellationToken cancellationToken)
    {
        var key = (log.Key, index);
        _counts.AddOrUpdate(key, 1, (_, n) => n + 1);
        _leaves[key] = leafInput.ToArray();
        lock (_waiters)
        {
            var distinct = Distinct(log.Key);
            foreach (var waiter in _waiters.Where(w => w.Log == log.Key && distinct >= w.Count).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }
        return ValueTask.FromResult(AckFor?.Invoke(log.Key, index) ?? Task.CompletedTask);
    }

    public int Distinct(string log) => _counts.Keys.Count(k => k.Log == log);

    public IReadOnlyDictionary<ulong, int> CountsFor(string log) => _counts.Where(p => p.Key.Log == log).ToDictionary(p => p.Key.Index, p => p.Value);

    public byte[] LeafOf(string log, ulong index) => _leaves[(log, index)];

    public Task WhenDistinctAsync(string log, int count)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (Distinct(log) >= count) return Task.CompletedTask;
            _waiters.Add((log, count, done));
        }
        return done.Task;
    }
}
