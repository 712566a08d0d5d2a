namespace Certstream.Contracts;

/// <summary>The JetStream stream, consumer and KV buckets of the public contract (SPEC §3).</summary>
public static class JetStreamNames
{
    /// <summary>The stream of raw entries, subjects <see cref="Subjects.AllRaw"/>.</summary>
    public const string RawStream = "CT_RAW";

    /// <summary>The durable pull consumer on <see cref="RawStream"/> shared by all parser replicas.</summary>
    public const string ParserConsumer = "parser";

    /// <summary>KV bucket: <c>&lt;log&gt;</c> → <see cref="Checkpoint"/> JSON.</summary>
    public const string CheckpointsBucket = "ct_checkpoints";

    /// <summary>KV bucket: <c>&lt;log&gt;</c> → the owning ingestor's instance id (TTL-based lease).</summary>
    public const string LeasesBucket = "ct_leases";

    /// <summary>The stream's <c>duplicate_window</c>: how long a <see cref="MessageHeaders.MessageId"/> dedupes a re-publish.</summary>
    public static TimeSpan RawDuplicateWindow => TimeSpan.FromMinutes(10);
}
