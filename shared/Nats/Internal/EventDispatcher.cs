using System.Threading.Channels;

namespace Certstream.Nats.Internal;

/// <summary>
/// Runs user event handlers one at a time, in order, off the read loop: a slow handler must never stall
/// the socket (§1.9), and Disconnected must not overtake Reconnected.
/// </summary>
internal sealed class EventDispatcher
{
    private readonly Channel<Action> _queue = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public EventDispatcher() => _loop = Task.Run(RunAsync);

    public void Post(Action action) => _queue.Writer.TryWrite(action);

    public Task CompleteAsync()
    {
        _queue.Writer.TryComplete();
        return _loop;
    }

    private async Task RunAsync()
    {
        await foreach (var action in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                action();
            }
#pragma warning disable CA1031 // A throwing user handler must not stop later events.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }
}
