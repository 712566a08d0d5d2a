using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;

namespace Certstream.Contracts;

/// <summary>
/// How the JetStream objects of the public contract (<see cref="JetStreamNames"/>; README "NATS subjects") are made, in
/// NATS.Net's types. Whoever creates one (the ingestor, or a parser that starts first) takes its config from here.
/// Only options nats-server 2.9 knows are set. <c>replicas</c> is <c>nats.replicas</c> (README "A NATS cluster"): 1 on one
/// server, 3 on a cluster.
/// </summary>
public static class JetStreamConfigs
{
    /// <summary>
    /// <c>CT_RAW</c>: <c>ct.raw.&gt;</c>, limits retention, file storage, <c>max_age</c> = <c>ingestor.raw_max_age</c>, and a
    /// duplicate window of 10 minutes (at most max_age, which the server requires).
    /// </summary>
    public static StreamConfig RawStream(TimeSpan maxAge, int replicas = 1) => new(JetStreamNames.RawStream, [JetStreamNames.RawStreamSubjects])
    {
        Description = JetStreamNames.RawStreamDescription,
        Retention = StreamConfigRetention.Limits,
        Storage = StreamConfigStorage.File,
        MaxAge = maxAge,
        DuplicateWindow = JetStreamNames.RawDuplicateWindowFor(maxAge),
        NumReplicas = replicas,
    };

    /// <summary>
    /// <c>CT_HISTORY</c>: <c>certstream.&lt;stream&gt;.*</c> for each of <paramref name="streams"/> (full, lite, domains),
    /// limits retention, file storage, oldest messages discarded first when <paramref name="maxAge"/> or
    /// <paramref name="maxBytes"/> is reached. The parser creates it and updates it when the config changes.
    /// </summary>
    public static StreamConfig HistoryStream(IEnumerable<string> streams, TimeSpan maxAge, long maxBytes, int replicas = 1) =>
        new(JetStreamNames.HistoryStream, [.. streams.Select(Subjects.AllOf)])
        {
            Description = "certstream messages kept for clients that resume (?since=)",
            Retention = StreamConfigRetention.Limits,
            Storage = StreamConfigStorage.File,
            Discard = StreamConfigDiscard.Old,
            MaxAge = maxAge,
            MaxBytes = maxBytes,
            NumReplicas = replicas,
        };

    /// <summary>
    /// <c>CT_UNIQUE</c>: one small message per certificate; its duplicate window is the <c>unique.window</c>, and so is
    /// its max_age (the server requires the window to fit in it), so it holds about a window's worth of claims.
    /// </summary>
    public static StreamConfig UniqueStream(TimeSpan window, int replicas = 1) => new(JetStreamNames.UniqueStream, [JetStreamNames.UniqueSubject])
    {
        Description = "certstream: the first copy of each certificate leaf across logs",
        Retention = StreamConfigRetention.Limits,
        Storage = StreamConfigStorage.File,
        Discard = StreamConfigDiscard.Old,
        MaxAge = window,
        DuplicateWindow = window,
        NumReplicas = replicas,
    };

    /// <summary><c>ct_checkpoints</c>: the latest checkpoint per log.</summary>
    public static NatsKVConfig CheckpointsBucket(int replicas = 1) => new(JetStreamNames.CheckpointsBucket)
    {
        Description = "certstream ingestor: log key -> checkpoint JSON",
        History = 1,
        NumberOfReplicas = replicas,
    };

    /// <summary><c>ct_leases</c>: the owner of each log; the bucket's max_age is the lease TTL (2.9 has no per-key TTL).</summary>
    public static NatsKVConfig LeasesBucket(TimeSpan ttl, int replicas = 1) => new(JetStreamNames.LeasesBucket)
    {
        Description = "certstream ingestor: log key -> owning instance id",
        History = 1,
        MaxAge = ttl,
        NumberOfReplicas = replicas,
    };
}
