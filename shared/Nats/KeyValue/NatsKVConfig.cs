using Certstream.Nats.JetStream.Models;

namespace Certstream.Nats.KeyValue;

/// <summary>A KV bucket (§4): the stream <c>KV_&lt;bucket&gt;</c> over <c>$KV.&lt;bucket&gt;.&gt;</c>.</summary>
public sealed record NatsKVConfig
{
    public NatsKVConfig() { }

    public NatsKVConfig(string bucket) => Bucket = bucket;

    /// <summary>Matches <c>^[A-Za-z0-9_-]+$</c>.</summary>
    public string Bucket { get; init; } = "";

    public string? Description { get; init; }

    /// <summary>Revisions kept per key, 1..64.</summary>
    public int History { get; init; } = 1;

    /// <summary>Age after which a revision is removed; zero = never. On 2.9 this is the only TTL and it is bucket-wide (§4).</summary>
    public TimeSpan MaxAge { get; init; }

    public long MaxBytes { get; init; } = -1;

    public int MaxValueSize { get; init; } = -1;

    public StreamStorage Storage { get; init; } = StreamStorage.File;

    public int NumReplicas { get; init; } = 1;

    /// <summary>The stream config nats.go v1.22 sends for this bucket (§4), so buckets made by either client are identical.</summary>
    internal StreamConfig ToStreamConfig()
    {
        NatsKVStore.ValidateBucket(Bucket);
        if (History is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(History), History, "History must be 1..64");
        var twoMinutes = TimeSpan.FromMinutes(2);
        return new StreamConfig
        {
            Name = "KV_" + Bucket,
            Description = Description,
            Subjects = ["$KV." + Bucket + ".>"],
            Retention = StreamRetention.Limits,
            MaxConsumers = -1,
            MaxMsgsPerSubject = History,
            MaxMsgs = -1,
            MaxBytes = MaxBytes,
            MaxAge = MaxAge,
            // Must not exceed max_age (§3.4).
            DuplicateWindow = MaxAge > TimeSpan.Zero && MaxAge < twoMinutes ? MaxAge : twoMinutes,
            MaxMsgSize = MaxValueSize,
            Storage = Storage,
            Discard = StreamDiscard.New,
            NumReplicas = NumReplicas,
            AllowRollupHeaders = true,
            DenyDelete = true,
            AllowDirect = true,
        };
    }
}
