namespace Certstream.Nats;

/// <summary>
/// The narrow surface the services use, shaped like NATS.Net v2's <c>INatsConnection</c> so the official client
/// can be put behind it later.
/// </summary>
public interface INatsConnection : IAsyncDisposable
{
    NatsConnectionState State { get; }

    /// <summary>The latest INFO from the current server; null before the first connect.</summary>
    NatsServerInfo? ServerInfo { get; }

    /// <summary>Raised after the first connect and after every reconnect (<see cref="Reconnected"/> is raised too for the latter).</summary>
    event EventHandler<NatsConnectionEventArgs>? Connected;

    event EventHandler<NatsConnectionEventArgs>? Disconnected;

    event EventHandler<NatsConnectionEventArgs>? Reconnected;

    event EventHandler<NatsConnectionEventArgs>? Closed;

    /// <summary>The server announced lame duck mode (async INFO with <c>ldm</c>, §1.11).</summary>
    event EventHandler<NatsConnectionEventArgs>? LameDuckModeEntered;

    /// <summary>A non-fatal server -ERR (e.g. a permissions violation) or a protocol error that forced a reconnect.</summary>
    event EventHandler<NatsConnectionEventArgs>? ServerError;

    event EventHandler<NatsSlowConsumerEventArgs>? SlowConsumerDetected;

    ValueTask ConnectAsync(CancellationToken cancellationToken = default);

    /// <summary>Buffers the message for sending; completes when buffered, not when on the wire (use <see cref="FlushAsync"/>).</summary>
    ValueTask PublishAsync(string subject, ReadOnlyMemory<byte> data = default, NatsHeaders? headers = null, string? replyTo = null, CancellationToken cancellationToken = default);

    ValueTask<NatsSubscription> SubscribeAsync(string subject, string? queueGroup = null, NatsSubOpts? opts = null, CancellationToken cancellationToken = default);

    /// <summary>Request/reply over the shared inbox. Throws <see cref="NatsNoRespondersException"/> or <see cref="NatsRequestTimeoutException"/>.</summary>
    ValueTask<NatsMsg> RequestAsync(string subject, ReadOnlyMemory<byte> data = default, NatsHeaders? headers = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default);

    /// <summary>PING/PONG round trip: everything written before it has been processed by the server.</summary>
    ValueTask FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>Unsubscribes everything, lets queued messages be consumed, flushes publishes, then closes.</summary>
    ValueTask DrainAsync(CancellationToken cancellationToken = default);
}
