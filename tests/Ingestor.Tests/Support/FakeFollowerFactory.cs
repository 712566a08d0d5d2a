using System.Collections.Concurrent;
using Certstream.Ingestor.Logs;

namespace Certstream.Ingestor.Tests.Support;

/// <summary>Followers that only wait for cancellation, signalling their start and stop per log key.</summary>
internal sealed class FakeFollowerFactory : ILogFollowerFactory
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _started = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _stopped = new();

    public ConcurrentQueue<string> Created { get; } = new();

    /// <summary>Keys whose follower throws (as a bug would) the first time it runs.</summary>
    public ConcurrentDictionary<string, bool> CrashOnce { get; } = new();

    public Task Started(string key) => _started.GetOrAdd(key, _ => New()).Task;

    public Task Stopped(string key) => _stopped.GetOrAdd(key, _ => New()).Task;

    public ILogFollower Create(LogDescriptor log)
    {
        Created.Enqueue(log.Key);
        return new Follower(this, log.Key);
    }

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class Follower(FakeFollowerFactory owner, string key) : ILogFollower
    {
        public async Task RunAsync(CancellationToken cancellationToken)
        {
            if (owner.CrashOnce.TryRemove(key, out _)) throw new InvalidOperationException("a bug");
            owner._started.GetOrAdd(key, _ => New()).TrySetResult();
            try
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, cancellationToken);
            }
            finally
            {
                owner._stopped.GetOrAdd(key, _ => New()).TrySetResult();
            }
        }
    }
}
