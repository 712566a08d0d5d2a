using System.Text.Json.Serialization;

namespace Certstream.Nats.JetStream.Models;

/// <summary>STREAM.CREATE/UPDATE/INFO response (§3.4).</summary>
public sealed record StreamInfo
{
    [JsonPropertyName("config")] public StreamConfig Config { get; init; } = new();
    [JsonPropertyName("created")] public DateTimeOffset Created { get; init; }
    [JsonPropertyName("state")] public StreamState State { get; init; } = new();
}
