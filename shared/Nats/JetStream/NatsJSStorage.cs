using System.Text.Json.Serialization;

namespace Certstream.Nats.JetStream;

/// <summary>Stream storage (§3.4).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NatsJSStorage>))]
public enum NatsJSStorage
{
    [JsonStringEnumMemberName("file")]
    File,
    [JsonStringEnumMemberName("memory")]
    Memory,
}
