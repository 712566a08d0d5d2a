using System.Text.Json.Serialization;

namespace Certstream.Nats.JetStream;

/// <summary>Replay speed (§3.6).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NatsJSReplayPolicy>))]
public enum NatsJSReplayPolicy
{
    [JsonStringEnumMemberName("instant")]
    Instant,
    [JsonStringEnumMemberName("original")]
    Original,
}
