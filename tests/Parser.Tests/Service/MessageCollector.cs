using System.Threading.Channels;
using NATS.Client.Core;

namespace Certstream.Parser.Tests.Service;

/// <summary>A message as the collector keeps it: subject, payload and headers (last value of each).</summary>
internal sealed record ReceivedMsg(string Subject, ReadOnlyMemory<byte> Data, IReadOnlyDictionary<string, string>? Headers);

/// <summary>Collects every message on a subject in the background; tests wait on a condition over what arrived.</summary>
internal sealed class MessageCollector : IAsyncDisposable
{
    private readonly INatsSub<byte[]> _subscription;
    private readonly List<ReceivedMsg> _messages = [];
    private readonly Task _pump;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _dropped;

    private MessageCollector(NatsConnection connection, INatsSub<byte[]> subscription)
    {
        _subscription = subscription;
        connection.MessageDropped += (_, e) =>
        {
            if (ReferenceEquals(e.Subscription, subscription)) Interlocked.Increment(ref _dropped);
            return ValueTask.CompletedTask;
        };
        _pump = Task.Run(PumpAsync);
    }

    public static async Task<MessageCollector> StartAsync(NatsConnection connection, string subject)
    {
        // A large queue: a test that falls behind must not lose messages and blame the parser.
        var sub = await connection.SubscribeCoreAsync<byte[]>(subject,
            opts: new NatsSubOpts { ChannelOpts = new NatsSubChannelOpts { Capacity = 1_000_000, FullMode = BoundedChannelFullMode.DropNewest } });
        await connection.PingAsync(); // the SUB is in place on the server
        return new MessageCollector(connection, sub);
    }

    public long Dropped => Volatile.Read(ref _dropped);

    public List<ReceivedMsg> Snapshot()
    {
        lock (_messages) return [.. _messages];
    }

    public int Count
    {
        get { lock (_messages) return _messages.Count; }
    }

    /// <summary>Waits until <paramref name="condition"/> holds over the messages so far; fails after <paramref name="timeout"/>.</summary>
    public async Task WaitForAsync(Func<List<ReceivedMsg>, bool> condition, TimeSpan timeout, string what)
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
        await foreach (var msg in _subscription.Msgs.ReadAllAsync())
        {
            var headers = msg.Headers?.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.Ordinal);
            TaskCompletionSource changed;
            lock (_messages)
            {
                _messages.Add(new ReceivedMsg(msg.Subject, msg.Data ?? [], headers));
                changed = _changed;
                _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            changed.TrySetResult();
        }
    }
}
