namespace Certstream.Ingestor.Publishing;

/// <summary>Operating constants of <see cref="JetStreamEntryPublisher"/> (not config keys; tests and the bench change them).</summary>
internal sealed record JetStreamPublisherSettings
{
    /// <summary>Publishes awaiting their PubAck at most (docs/ingest.md "many in flight"); the followers' back-pressure.</summary>
    public int Window { get; init; } = 512;

    /// <summary>How long one send waits for its PubAck before the NATS publisher re-sends it with the same Msg-Id.</summary>
    public TimeSpan AckTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Re-publishes after a transient failure before the message is given up (the follower then rewinds).</summary>
    public int MaxRetries { get; init; } = 8;

    public TimeSpan RetryMin { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan RetryMax { get; init; } = TimeSpan.FromSeconds(5);
}
