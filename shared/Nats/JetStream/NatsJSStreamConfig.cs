namespace Certstream.Nats.JetStream;

/// <summary>Stream configuration (2.9.10 fields only, §3.4). Zero values mean "server default".</summary>
public sealed record NatsJSStreamConfig
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public IReadOnlyList<string>? Subjects { get; init; }
    public NatsJSRetention Retention { get; init; }
    public long MaxConsumers { get; init; }
    public long MaxMsgs { get; init; }
    public long MaxBytes { get; init; }
    public TimeSpan MaxAge { get; init; }
    public long MaxMsgsPerSubject { get; init; }
    public int MaxMsgSize { get; init; }
    public NatsJSDiscard Discard { get; init; }
    public NatsJSStorage Storage { get; init; }
    public int NumReplicas { get; init; }
    public TimeSpan DuplicateWindow { get; init; }
    public bool AllowRollupHdrs { get; init; }
    public bool DenyDelete { get; init; }
    public bool DenyPurge { get; init; }
    public bool AllowDirect { get; init; }
}
