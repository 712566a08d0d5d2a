using System.Text.Json.Serialization;
using Certstream.Nats.JetStream.Models;

namespace Certstream.Nats.JetStream.Internal;

// Wire shapes that only this client sees (§3). Every response is first read as ApiErrorResponse: "check error first" (§3.1).

internal sealed record ApiError
{
    [JsonPropertyName("code")] public int Code { get; init; }
    [JsonPropertyName("err_code")] public int ErrCode { get; init; }
    [JsonPropertyName("description")] public string? Description { get; init; }
}

internal sealed record ApiErrorResponse
{
    [JsonPropertyName("error")] public ApiError? Error { get; init; }
}

internal sealed record SuccessResponse
{
    [JsonPropertyName("success")] public bool Success { get; init; }
}

internal sealed record PurgeResponse
{
    [JsonPropertyName("success")] public bool Success { get; init; }
    [JsonPropertyName("purged")] public ulong Purged { get; init; }
}

internal sealed record PurgeRequest
{
    [JsonPropertyName("filter")] public string? Filter { get; init; }
}

internal sealed record ConsumerCreateRequest
{
    [JsonPropertyName("stream_name")] public string StreamName { get; init; } = "";
    [JsonPropertyName("config")] public ConsumerConfig Config { get; init; } = new();
}

internal sealed record PullRequest
{
    [JsonPropertyName("batch")] public int Batch { get; init; }
    [JsonPropertyName("expires"), JsonConverter(typeof(NanosecondsConverter))] public TimeSpan? Expires { get; init; }
    [JsonPropertyName("no_wait")] public bool? NoWait { get; init; }
    [JsonPropertyName("max_bytes")] public long? MaxBytes { get; init; }
    [JsonPropertyName("idle_heartbeat"), JsonConverter(typeof(NanosecondsConverter))] public TimeSpan? IdleHeartbeat { get; init; }
}

internal sealed record MsgGetRequest
{
    [JsonPropertyName("seq")] public ulong? Seq { get; init; }
    [JsonPropertyName("last_by_subj")] public string? LastBySubject { get; init; }
}

internal sealed record StoredMsg
{
    [JsonPropertyName("subject")] public string Subject { get; init; } = "";
    [JsonPropertyName("seq")] public ulong Seq { get; init; }
    [JsonPropertyName("hdrs")] public byte[]? Headers { get; init; }
    [JsonPropertyName("data")] public byte[]? Data { get; init; }
    [JsonPropertyName("time")] public DateTimeOffset Time { get; init; }
}

internal sealed record MsgGetResponse
{
    [JsonPropertyName("message")] public StoredMsg? Message { get; init; }
}
