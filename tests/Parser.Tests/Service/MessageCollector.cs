using Certstream.Nats;

namespace Certstream.Parser.Tests.Service;

/// <summary>Collects every message on a subject in the background; tests wait on a condition over what arrived.</summary>
internal sealed class MessageCollector : IAsyncDisposable
{
    private readonly NatsSubscription _subscription;
    private readonly List<NatsMsg> _messages = [];
    private readonly Task _pump;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private MessageCollector(NatsSubscription subscription)
    {
        _subscription = subscription;
        _pump = Task.Run(PumpAsync);
    }

    public static async Task<MessageCollector> StartAsync(NatsConnection connection, string subject)
    {
        // Large bounds: a test that falls behind must not lose messages and blame the parser.
        var sub = await connection.SubscribeAsync(subject, opts: new NatsSubOpts { PendingMsgsLimit = 1_000_000, PendingBytesLimit = 4L << 30 });
        await connection.FlushAsync();
        return new MessageCollector(sub);
    }

    public long Dropped => _subscription.DroppedCount;

    public List<NatsMsg> Snapshot()
    {
        lock (_messages) return [.. _messages];
    }

    public int Count
    {
        get { lock (_messages) return _messages.Count; }
    }

    /// <summary>Waits until <paramref name="condition"/> holds over the messages so far; fails after <paramref name="timeout"/>.</summary>
    public async Task WaitForAsync(Func<List<NatsMsg>, bool> condition, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_messages)
            {
                if (condition(_messages)) return;
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{what}: not within {timeout} ({Count} messages on {_subscription.Subject}, {Dropped} dropped)");
            }
        }
    }

    public Task WaitForCountAsync(int count, TimeSpan timeout) => WaitForAsync(m => m.Count >= count, timeout, $"{count} messages");

    public async ValueTask DisposeAsync()
    {
        await _subscription.DisposeAsync();
        await _pump;
    }

    private async Task PumpAsync()
    {
        await foreach (var msg in _subscription)
        {
            TaskCompletionSource changed;
            lock (_messages)
            {
                _messages.Add(msg);
                changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            changed.TrySetResult();
        }
    }
}
