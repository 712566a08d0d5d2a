using System.Text.Json.Serialization;

namespace Certstream.Nats.JetStream;

/// <summary>Where a consumer starts (§3.6).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<NatsJSDeliverPolicy>))]
public enum NatsJSDeliverPolicy
{
    [JsonStringEnumMemberName("all")]
    All,
    [JsonStringEnumMemberName("last")]
    Last,
    [JsonStringEnumMemberName("new")]
    New,
    [JsonStringEnumMemberName("by_start_sequence")]
    ByStartSequence,
    [JsonStringEnumMemberName("by_start_time")]
    ByStartTime,
    [JsonStringEnumMemberName("last_per_subject")]
    LastPerSubject,
}
