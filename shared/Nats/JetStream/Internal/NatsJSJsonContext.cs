using System.Text.Json.Serialization;
using Certstream.Nats.JetStream.Models;

namespace Certstream.Nats.JetStream.Internal;

/// <summary>Source-generated (reflection-free) JSON for the JetStream API. Nulls are omitted so the server applies its defaults.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(Rfc3339NanoConverter)])]
[JsonSerializable(typeof(ApiErrorResponse))]
[JsonSerializable(typeof(SuccessResponse))]
[JsonSerializable(typeof(PurgeRequest))]
[JsonSerializable(typeof(PurgeResponse))]
[JsonSerializable(typeof(AccountInfo))]
[JsonSerializable(typeof(StreamConfig))]
[JsonSerializable(typeof(StreamInfo))]
[JsonSerializable(typeof(ConsumerCreateRequest))]
[JsonSerializable(typeof(ConsumerInfo))]
[JsonSerializable(typeof(PullRequest))]
[JsonSerializable(typeof(MsgGetRequest))]
[JsonSerializable(typeof(MsgGetResponse))]
internal sealed partial class NatsJSJsonContext : JsonSerializerContext;
