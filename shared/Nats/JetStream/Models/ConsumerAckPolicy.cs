using System.Text.Json.Serialization;

namespace Certstream.Nats.JetStream.Models;

[JsonConverter(typeof(JsonStringEnumConverter<ConsumerAckPolicy>))]
public enum ConsumerAckPolicy
{
    [JsonStringEnumMemberName("none")] None,
    [JsonStringEnumMemberName("all")] All,
    [JsonStringEnumMemberName("explicit")] Explicit,
}
