using System.Text.Json.Serialization;

namespace Certstream.Nats.JetStream.Models;

[JsonConverter(typeof(JsonStringEnumConverter<StreamDiscard>))]
public enum StreamDiscard
{
    [JsonStringEnumMemberName("old")] Old,
    [JsonStringEnumMemberName("new")] New,
}
