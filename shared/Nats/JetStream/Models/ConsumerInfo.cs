using System.Text.Json.Serialization;

namespace Certstream.Nats.JetStream.Models;

/// <summary>CONSUMER.CREATE/INFO response (§3.6).</summary>
public sealed record ConsumerInfo
{
    [JsonPropertyName("stream_name")] public string StreamName { get; init; } = "";
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("created")] public DateTimeOffset Created { get; init; }
    [JsonPropertyName("config")] public ConsumerConfig Config { get; init; } = new();
    [JsonPropertyName("delivered")] public SequenceInfo Delivered { get; init; } = new();
    [JsonPropertyName("ack_floor")] public SequenceInfo AckFloor { get; init; } = new();
    [JsonPropertyName("num_ack_pending")] public long NumAckPending { get; init; }
    [JsonPropertyName("num_redelivered")] public long NumRedelivered { get; init; }
    [JsonPropertyName("num_waiting")] public long NumWaiting { get; init; }
    [JsonPropertyName("num_pending")] public ulong NumPending { get; init; }
}
