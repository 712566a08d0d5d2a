namespace Certstream.Nats.JetStream;

/// <summary>
/// Pipelined JetStream publishing: each publish goes out at once and returns its PubAck task; at most
/// <c>maxAcksInFlight</c> acks are outstanding, further publishes wait for a slot.
/// </summary>
public sealed class NatsJSPublisher : IDisposable
{
    private readonly NatsJSContext _js;
    private readonly SemaphoreSlim _window;
    private readonly List<Task<NatsJSPubAck>> _inFlight = [];

    internal NatsJSPublisher(NatsJSContext js, int maxAcksInFlight)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAcksInFlight, 1);
        _js = js;
        _window = new SemaphoreSlim(maxAcksInFlight, maxAcksInFlight);
    }

    /// <summary>Waits for a window slot, sends, and returns the task of this message's PubAck.</summary>
    public async ValueTask<Task<NatsJSPubAck>> PublishAsync(string subject, ReadOnlyMemory<byte> data, NatsJSPubOpts? opts = null, NatsHeaders? headers = null, CancellationToken cancellationToken = default)
    {
        await _window.WaitAsync(cancellationToken).ConfigureAwait(false);
        Task<NatsJSPubAck> ack;
        try
        {
            ack = _js.PublishAsync(subject, data, opts, headers, cancellationToken);
        }
        catch
        {
            _window.Release();
            throw;
        }
        _ = ack.ContinueWith(static (_, w) => ((SemaphoreSlim)w!).Release(), _window, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        lock (_inFlight)
        {
            _inFlight.RemoveAll(t => t.IsCompleted);
            _inFlight.Add(ack);
        }
        return ack;
    }

    /// <summary>Waits for every outstanding ack; throws the first failure.</summary>
    public async Task WaitForAcksAsync(CancellationToken cancellationToken = default)
    {
        Task<NatsJSPubAck>[] pending;
        lock (_inFlight) pending = [.. _inFlight];
        await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _window.Dispose();
}
