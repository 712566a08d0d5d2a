namespace Certstream.Nats.JetStream;

/// <summary>Options of a <see cref="NatsJSPublisher"/>.</summary>
public sealed record NatsJSPublisherOpts
{
    /// <summary>Publishes awaiting their PubAck at most; <c>PublishAsync</c> waits for a free place. Bounds memory.</summary>
    public int MaxAcksInFlight { get; init; } = 256;

    /// <summary>How long one attempt waits for its PubAck.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Attempts for a message that has a <c>Nats-Msg-Id</c>: after an ack timeout it is sent again with the same id, which
    /// the stream de-duplicates (§3.5), e.g. across a server restart. A message without an id fails at its first timeout,
    /// because sending it again could store it twice.
    /// </summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Re-sends after a 503 no-responders answer (stream leader election; ADR-22).</summary>
    public int NoRespondersRetries { get; init; } = 2;

    public TimeSpan RetryWait { get; init; } = TimeSpan.FromMilliseconds(250);
}
