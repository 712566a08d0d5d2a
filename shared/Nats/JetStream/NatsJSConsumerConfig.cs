namespace Certstream.Nats.JetStream;

/// <summary>Pull consumer configuration (2.9.10 fields, §3.6). Zero values mean "server default".</summary>
public sealed record NatsJSConsumerConfig
{
    /// <summary>Required for <see cref="NatsJSContext.EnsureConsumerAsync"/>; null for ephemeral consumers.</summary>
    public string? DurableName { get; init; }
    public string? Description { get; init; }
    public NatsJSDeliverPolicy DeliverPolicy { get; init; }
    public ulong OptStartSeq { get; init; }
    public NatsJSAckPolicy AckPolicy { get; init; }
    public TimeSpan AckWait { get; init; }
    public long MaxDeliver { get; init; }
    public string? FilterSubject { get; init; }
    public NatsJSReplayPolicy ReplayPolicy { get; init; }
    public long MaxWaiting { get; init; }
    public long MaxAckPending { get; init; }
    public long MaxBatch { get; init; }
    public TimeSpan MaxExpires { get; init; }
    public long MaxBytes { get; init; }
    public TimeSpan InactiveThreshold { get; init; }
    public bool HeadersOnly { get; init; }
    public bool MemStorage { get; init; }
}
