namespace Certstream.Contracts;

/// <summary>The JetStream stream, consumer and KV buckets of the public contract (README "NATS subjects").</summary>
public static class JetStreamNames
{
    /// <summary>The stream of raw entries, subjects <see cref="RawStreamSubjects"/>.</summary>
    public const string RawStream = "CT_RAW";

    /// <summary>
    /// The subjects of <see cref="RawStream"/>: every <c>ct.raw.&lt;log&gt;</c>. The ingestor and the parser both may create
    /// the stream, so both take its config from <see cref="JetStreamConfigs.RawStream"/> and neither rewrites the other's.
    /// </summary>
    public const string RawStreamSubjects = "ct.raw.>";

    /// <summary>The description <see cref="RawStream"/> is created with.</summary>
    public const string RawStreamDescription = "certstream raw CT log entries (MessagePack RawEntry)";

    /// <summary>The durable pull consumer on <see cref="RawStream"/> shared by all parser replicas.</summary>
    public const string ParserConsumer = "parser";

    /// <summary>KV bucket: <c>&lt;log&gt;</c> → <see cref="Checkpoint"/> JSON.</summary>
    public const string CheckpointsBucket = "ct_checkpoints";

    /// <summary>KV bucket: <c>&lt;log&gt;</c> → the owning ingestor's instance id (TTL-based lease).</summary>
    public const string LeasesBucket = "ct_leases";

    /// <summary>
    /// The stream of processed messages clients resume from (README "Resume"): it captures the parser's
    /// <c>certstream.&lt;stream&gt;.&lt;log&gt;</c> publishes of the streams <c>history.streams</c> names, headers included.
    /// </summary>
    public const string HistoryStream = "CT_HISTORY";

    /// <summary>
    /// The stream that decides, once for the whole deployment, which copy of a certificate is its first (README "Unique
    /// certificates"): the parser publishes one message per certificate to <see cref="UniqueSubject"/> with the leaf hash as
    /// its <see cref="MessageHeaders.MessageId"/>; the server's duplicate window answers "seen before".
    /// </summary>
    public const string UniqueStream = "CT_UNIQUE";

    /// <summary>The one subject of <see cref="UniqueStream"/>; its payload names the claiming entry (<c>&lt;log&gt; &lt;index&gt;</c>).</summary>
    public const string UniqueSubject = "ct.unique";

    /// <summary>The stream's <c>duplicate_window</c>: how long a <see cref="MessageHeaders.MessageId"/> dedupes a re-publish.</summary>
    public static TimeSpan RawDuplicateWindow => TimeSpan.FromMinutes(10);

    /// <summary>The window for a stream of <paramref name="maxAge"/> (0 = forever): the server refuses a window beyond max_age.</summary>
    public static TimeSpan RawDuplicateWindowFor(TimeSpan maxAge) =>
        maxAge > TimeSpan.Zero && maxAge < RawDuplicateWindow ? maxAge : RawDuplicateWindow;
}
