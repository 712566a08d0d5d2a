using Certstream.Contracts;
using Certstream.Nats.JetStream;
using Certstream.Nats.JetStream.Models;
using Certstream.Nats.KeyValue;

namespace Certstream.Ingestor.Nats;

/// <summary>The stream and buckets the ingestor owns (SPEC §3), made to exist at start; every call is idempotent.</summary>
internal static class IngestorStreams
{
    /// <summary>Lease TTL of SPEC §1's one-follower-per-log rule (reference/nats-protocol §4: bucket max_age = TTL).</summary>
    public static readonly TimeSpan DefaultLeaseTtl = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>CT_RAW</c>: limits retention, file storage, <c>max_age</c> = <c>ingestor.raw_max_age</c>, 10 min dedupe window.
    /// The parser's <c>RawTopology.Stream</c> is the same config (tests/Ingestor.Tests/Nats/RawStreamConfigTests).
    /// </summary>
    public static StreamConfig RawStream(TimeSpan maxAge) => new(JetStreamNames.RawStream, JetStreamNames.RawStreamSubjects)
    {
        Description = JetStreamNames.RawStreamDescription,
        Retention = StreamRetention.Limits,
        Storage = StreamStorage.File,
        MaxAge = maxAge,
        // The window may not exceed max_age (reference/nats-protocol §3.4).
        DuplicateWindow = JetStreamNames.RawDuplicateWindowFor(maxAge),
    };

    public static NatsKVConfig Checkpoints() => new(JetStreamNames.CheckpointsBucket)
    {
        Description = "certstream ingestor: log key -> checkpoint JSON",
        History = 1,
    };

    public static NatsKVConfig Leases(TimeSpan ttl) => new(JetStreamNames.LeasesBucket)
    {
        Description = "certstream ingestor: log key -> owning instance id",
        History = 1,
        MaxAge = ttl,
    };

    /// <summary>Ensures <c>CT_RAW</c>, <c>ct_checkpoints</c> and <c>ct_leases</c>; returns the two buckets.</summary>
    public static async Task<(NatsKVStore Checkpoints, NatsKVStore Leases)> EnsureAsync(NatsJSContext js, TimeSpan rawMaxAge, TimeSpan leaseTtl,
        CancellationToken cancellationToken)
    {
        await js.EnsureStreamAsync(RawStream(rawMaxAge), cancellationToken);
        var checkpoints = await js.EnsureKeyValueAsync(Checkpoints(), cancellationToken);
        var leases = await js.EnsureKeyValueAsync(Leases(leaseTtl), cancellationToken);
        return (checkpoints, leases);
    }
}
