using System.Text.Json.Serialization;

namespace Certstream.Nats.JetStream;

/// <summary>Source-generated JSON (no reflection): snake_case names, nanosecond durations, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(NanosecondsConverter)])]
[JsonSerializable(typeof(NatsJSStreamConfig))]
[JsonSerializable(typeof(NatsJSStreamInfo))]
[JsonSerializable(typeof(NatsJSConsumerInfo))]
[JsonSerializable(typeof(NatsJSAccountInfo))]
[JsonSerializable(typeof(CreateConsumerRequest))]
[JsonSerializable(typeof(PullRequest))]
[JsonSerializable(typeof(ApiEnvelope))]
[JsonSerializable(typeof(PubAckResponse))]
[JsonSerializable(typeof(SuccessResponse))]
internal sealed partial class JetStreamJsonContext : JsonSerializerContext;
