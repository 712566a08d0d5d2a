namespace Certstream.Nats.Tests.JetStream;

/// <summary>An <see cref="INatsConnection"/> that is not a <see cref="NatsConnection"/>: what a service's test double or NATS.Net adapter would be.</summary>
internal sealed class DelegatingConnection(NatsConnection inner) : INatsConnection
{
    public NatsConnectionState State => inner.State;
    public NatsServerInfo? ServerInfo => inner.ServerInfo;

    public event EventHandler<NatsConnectionEventArgs>? Connected { add => inner.Connected += value; remove => inner.Connected -= value; }
    public event EventHandler<NatsConnectionEventArgs>? Disconnected { add => inner.Disconnected += value; remove => inner.Disconnected -= value; }
    public event EventHandler<NatsConnectionEventArgs>? Reconnected { add => inner.Reconnected += value; remove => inner.Reconnected -= value; }
    public event EventHandler<NatsConnectionEventArgs>? Closed { add => inner.Closed += value; remove => inner.Closed -= value; }
    public event EventHandler<NatsConnectionEventArgs>? LameDuckModeEntered { add => inner.LameDuckModeEntered += value; remove => inner.LameDuckModeEntered -= value; }
    public event EventHandler<NatsConnectionEventArgs>? ServerError { add => inner.ServerError += value; remove => inner.ServerError -= value; }
    public event EventHandler<NatsSlowConsumerEventArgs>? SlowConsumerDetected { add => inner.SlowConsumerDetected += value; remove => inner.SlowConsumerDetected -= value; }

    public int Publishes { get; private set; }

    public ValueTask ConnectAsync(CancellationToken cancellationToken = default) => inner.ConnectAsync(cancellationToken);

    public ValueTask PublishAsync(string subject, ReadOnlyMemory<byte> data = default, NatsHeaders? headers = null, string? replyTo = null, CancellationToken cancellationToken = default)
    {
        Publishes++;
        return inner.PublishAsync(subject, data, headers, replyTo, cancellationToken);
    }

    public ValueTask<NatsSubscription> SubscribeAsync(string subject, string? queueGroup = null, NatsSubOpts? opts = null, CancellationToken cancellationToken = default) =>
        inner.SubscribeAsync(subject, queueGroup, opts, cancellationToken);

    public ValueTask<NatsMsg> RequestAsync(string subject, ReadOnlyMemory<byte> data = default, NatsHeaders? headers = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        inner.RequestAsync(subject, data, headers, timeout, cancellationToken);

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => inner.FlushAsync(cancellationToken);

    public ValueTask DrainAsync(CancellationToken cancellationToken = default) => inner.DrainAsync(cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
