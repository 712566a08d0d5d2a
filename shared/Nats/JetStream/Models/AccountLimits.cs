using System.Text.Json.Serialization;

namespace Certstream.Nats.JetStream.Models;

public sealed record AccountLimits
{
    [JsonPropertyName("max_memory")] public long MaxMemory { get; init; }
    [JsonPropertyName("max_storage")] public long MaxStorage { get; init; }
    [JsonPropertyName("max_streams")] public int MaxStreams { get; init; }
    [JsonPropertyName("max_consumers")] public int MaxConsumers { get; init; }
}
