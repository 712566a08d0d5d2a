using System.Text.Json.Serialization;

namespace Certstream.Nats.JetStream.Models;

public sealed record SequenceInfo
{
    [JsonPropertyName("consumer_seq")] public ulong ConsumerSeq { get; init; }
    [JsonPropertyName("stream_seq")] public ulong StreamSeq { get; init; }
    [JsonPropertyName("last_active")] public DateTimeOffset? LastActive { get; init; }
}
