namespace Certstream.Ingestor.Tests.Support;

/// <summary>A thread-safe counter a test can await reaching a value (no polling, no sleeps).</summary>
internal sealed class CountSignal
{
    private readonly List<(int Target, TaskCompletionSource Done)> _waiters = [];
    private int _value;

    public int Value
    {
        get { lock (_waiters) return _value; }
    }

    public void Increment()
    {
        lock (_waiters)
        {
            _value++;
            foreach (var waiter in _waiters.Where(w => _value >= w.Target).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }
    }

    public Task WhenAtLeastAsync(int target)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (_value >= target) return Task.CompletedTask;
            _waiters.Add((target, done));
        }
        return done.Task;
    }
}
