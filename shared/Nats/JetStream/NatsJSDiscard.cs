using System.Text.Json.Serialization;

namespace Certstream.Nats.JetStream;

/// <summary>What a full stream discards (§3.4).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NatsJSDiscard>))]
public enum NatsJSDiscard
{
    [JsonStringEnumMemberName("old")]
    Old,
    [JsonStringEnumMemberName("new")]
    New,
}
