using System.Text.Json.Serialization;

namespace Certstream.Nats.JetStream.Models;

[JsonConverter(typeof(JsonStringEnumConverter<ConsumerReplayPolicy>))]
public enum ConsumerReplayPolicy
{
    [JsonStringEnumMemberName("instant")] Instant,
    [JsonStringEnumMemberName("original")] Original,
}
