namespace Certstream.Nats.KeyValue;

/// <summary>A KV bucket (ADR-8, §4): the stream <c>KV_&lt;bucket&gt;</c> on <c>$KV.&lt;bucket&gt;.&gt;</c>.</summary>
public sealed record NatsKVConfig
{
    public required string Bucket { get; init; }
    public string? Description { get; init; }

    /// <summary>Revisions kept per key, 1..64.</summary>
    public int History { get; init; } = 1;

    /// <summary>Bucket-wide TTL of each revision (2.9 has no per-key TTL); zero = forever.</summary>
    public TimeSpan MaxAge { get; init; }

    public long MaxBytes { get; init; } = -1;
    public int MaxValueSize { get; init; } = -1;
    public JetStream.NatsJSStorage Storage { get; init; } = JetStream.NatsJSStorage.File;
}
