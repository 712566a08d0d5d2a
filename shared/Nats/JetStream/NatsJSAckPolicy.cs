using System.Text.Json.Serialization;

namespace Certstream.Nats.JetStream;

/// <summary>How a consumer's messages are acknowledged (§3.6). Explicit first: it is what pull consumers want.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NatsJSAckPolicy>))]
public enum NatsJSAckPolicy
{
    [JsonStringEnumMemberName("explicit")]
    Explicit,
    [JsonStringEnumMemberName("none")]
    None,
    [JsonStringEnumMemberName("all")]
    All,
}
