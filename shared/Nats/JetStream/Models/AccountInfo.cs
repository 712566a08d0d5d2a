using System.Text.Json.Serialization;

namespace Certstream.Nats.JetStream.Models;

/// <summary><c>$JS.API.INFO</c> response (§3.3).</summary>
public sealed record AccountInfo
{
    [JsonPropertyName("memory")] public ulong Memory { get; init; }
    [JsonPropertyName("storage")] public ulong Storage { get; init; }
    [JsonPropertyName("streams")] public int Streams { get; init; }
    [JsonPropertyName("consumers")] public int Consumers { get; init; }
    [JsonPropertyName("limits")] public AccountLimits Limits { get; init; } = new();
}
