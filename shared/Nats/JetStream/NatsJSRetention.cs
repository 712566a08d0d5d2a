using System.Text.Json.Serialization;

namespace Certstream.Nats.JetStream;

/// <summary>Stream retention (§3.4).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NatsJSRetention>))]
public enum NatsJSRetention
{
    [JsonStringEnumMemberName("limits")]
    Limits,
    [JsonStringEnumMemberName("interest")]
    Interest,
    [JsonStringEnumMemberName("workqueue")]
    WorkQueue,
}
