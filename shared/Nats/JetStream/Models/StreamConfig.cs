using System.Text.Json.Serialization;
using Certstream.Nats.JetStream.Internal;

namespace Certstream.Nats.JetStream.Models;

/// <summary>
/// StreamConfig as nats-server 2.9.10 knows it (§3.4). Defaults are the server's own, written explicitly so that
/// the config we send equals the config the server stores and CREATE stays idempotent. 2.10+ fields are left out (§3.11).
/// </summary>
public sealed record StreamConfig
{
    public StreamConfig() { }

    public StreamConfig(string name, params string[] subjects)
    {
        Name = name;
        Subjects = subjects;
    }

    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("subjects")] public IReadOnlyList<string>? Subjects { get; init; }
    [JsonPropertyName("retention")] public StreamRetention Retention { get; init; } = StreamRetention.Limits;
    [JsonPropertyName("max_consumers")] public int MaxConsumers { get; init; } = -1;
    [JsonPropertyName("max_msgs")] public long MaxMsgs { get; init; } = -1;
    [JsonPropertyName("max_bytes")] public long MaxBytes { get; init; } = -1;

    /// <summary>0 = forever; otherwise at least 100 ms (§3.4).</summary>
    [JsonPropertyName("max_age"), JsonConverter(typeof(NanosecondsConverter))] public TimeSpan MaxAge { get; init; }

    [JsonPropertyName("max_msgs_per_subject")] public long MaxMsgsPerSubject { get; init; } = -1;
    [JsonPropertyName("max_msg_size")] public int MaxMsgSize { get; init; } = -1;
    [JsonPropertyName("discard")] public StreamDiscard Discard { get; init; } = StreamDiscard.Old;
    [JsonPropertyName("storage")] public StreamStorage Storage { get; init; } = StreamStorage.File;
    [JsonPropertyName("num_replicas")] public int NumReplicas { get; init; } = 1;
    [JsonPropertyName("no_ack")] public bool NoAck { get; init; }

    /// <summary>De-duplication window for <c>Nats-Msg-Id</c>; zero lets the server pick 2 min (or max_age if smaller).</summary>
    [JsonPropertyName("duplicate_window"), JsonConverter(typeof(NanosecondsConverter))] public TimeSpan DuplicateWindow { get; init; }

    [JsonPropertyName("allow_rollup_hdrs")] public bool AllowRollupHeaders { get; init; }
    [JsonPropertyName("allow_direct")] public bool AllowDirect { get; init; }
    [JsonPropertyName("mirror_direct")] public bool MirrorDirect { get; init; }
    [JsonPropertyName("deny_delete")] public bool DenyDelete { get; init; }
    [JsonPropertyName("deny_purge")] public bool DenyPurge { get; init; }
    [JsonPropertyName("discard_new_per_subject")] public bool DiscardNewPerSubject { get; init; }
    [JsonPropertyName("sealed")] public bool Sealed { get; init; }
}
