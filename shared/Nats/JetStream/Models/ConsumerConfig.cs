using System.Text.Json.Serialization;
using Certstream.Nats.JetStream.Internal;

namespace Certstream.Nats.JetStream.Models;

/// <summary>
/// Pull-consumer config for nats-server 2.9.10 (§3.6). Push-only fields are absent: <c>idle_heartbeat</c> on a pull
/// consumer is rejected with 10088. Unset optionals are omitted so that the server applies its defaults.
/// </summary>
public sealed record ConsumerConfig
{
    public ConsumerConfig() { }

    public ConsumerConfig(string durableName) => DurableName = durableName;

    [JsonPropertyName("durable_name")] public string? DurableName { get; init; }
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
    [JsonPropertyName("deliver_policy")] public ConsumerDeliverPolicy DeliverPolicy { get; init; } = ConsumerDeliverPolicy.All;
    [JsonPropertyName("opt_start_seq")] public ulong? OptStartSeq { get; init; }
    [JsonPropertyName("opt_start_time")] public DateTimeOffset? OptStartTime { get; init; }
    [JsonPropertyName("ack_policy")] public ConsumerAckPolicy AckPolicy { get; init; } = ConsumerAckPolicy.Explicit;

    [JsonPropertyName("ack_wait"), JsonConverter(typeof(NanosecondsConverter))] public TimeSpan? AckWait { get; init; }

    [JsonPropertyName("max_deliver")] public long? MaxDeliver { get; init; }
    [JsonPropertyName("filter_subject")] public string? FilterSubject { get; init; }
    [JsonPropertyName("replay_policy")] public ConsumerReplayPolicy ReplayPolicy { get; init; } = ConsumerReplayPolicy.Instant;
    [JsonPropertyName("max_waiting")] public long? MaxWaiting { get; init; }
    [JsonPropertyName("max_ack_pending")] public long? MaxAckPending { get; init; }
    [JsonPropertyName("max_batch")] public long? MaxBatch { get; init; }

    [JsonPropertyName("max_expires"), JsonConverter(typeof(NanosecondsConverter))] public TimeSpan? MaxExpires { get; init; }

    [JsonPropertyName("max_bytes")] public long? MaxBytes { get; init; }

    [JsonPropertyName("inactive_threshold"), JsonConverter(typeof(NanosecondsConverter))] public TimeSpan? InactiveThreshold { get; init; }

    [JsonPropertyName("num_replicas")] public int? NumReplicas { get; init; }
    [JsonPropertyName("mem_storage")] public bool? MemoryStorage { get; init; }
    [JsonPropertyName("headers_only")] public bool? HeadersOnly { get; init; }
}
