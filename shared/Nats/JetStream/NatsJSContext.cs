using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Certstream.Nats.JetStream.Internal;
using Certstream.Nats.JetStream.Models;

namespace Certstream.Nats.JetStream;

/// <summary>
/// JetStream over one connection (§3): account info, streams, awaited and pipelined publishes,
/// durable pull consumers, and (in <c>.KeyValue</c>) KV buckets. Every API call is a request with a client-side timeout.
/// </summary>
public sealed partial class NatsJSContext
{
    /// <summary>Any <see cref="INatsConnection"/> works; with <see cref="NatsConnection"/> the pipelined publisher reads acks straight off the read loop.</summary>
    public NatsJSContext(INatsConnection connection, NatsJSOpts? opts = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        Connection = connection;
        Opts = opts ?? new NatsJSOpts();
    }

    public INatsConnection Connection { get; }

    public NatsJSOpts Opts { get; }

    public ValueTask<AccountInfo> GetAccountInfoAsync(CancellationToken cancellationToken = default) =>
        RequestAsync(ApiSubject("INFO"), ReadOnlyMemory<byte>.Empty, NatsJSJsonContext.Default.AccountInfo, cancellationToken);

    public ValueTask<StreamInfo> CreateStreamAsync(StreamConfig config, CancellationToken cancellationToken = default) =>
        StreamRequestAsync("STREAM.CREATE.", config, cancellationToken);

    public ValueTask<StreamInfo> UpdateStreamAsync(StreamConfig config, CancellationToken cancellationToken = default) =>
        StreamRequestAsync("STREAM.UPDATE.", config, cancellationToken);

    /// <summary>Throws <see cref="NatsJSApiException"/> with 10059 when the stream does not exist.</summary>
    public ValueTask<StreamInfo> GetStreamAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateName(name, nameof(name));
        return RequestAsync(ApiSubject("STREAM.INFO." + name), ReadOnlyMemory<byte>.Empty, NatsJSJsonContext.Default.StreamInfo, cancellationToken);
    }

    /// <summary>
    /// Makes the stream exist with this config, whatever the current state (§3.4): CREATE is idempotent for an identical
    /// config; a different one (10058) is applied with UPDATE; a stream deleted in between (10059) is created again.
    /// Changes UPDATE cannot make (e.g. storage type, 10052) surface as <see cref="NatsJSApiException"/>.
    /// <see cref="StreamConfig"/> models what this project uses; an UPDATE drops fields it lacks (mirror, sources, republish, placement).
    /// </summary>
    public async ValueTask<StreamInfo> EnsureStreamAsync(StreamConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await CreateStreamAsync(config, cancellationToken).ConfigureAwait(false);
            }
            catch (NatsJSApiException e) when (e.ErrCode == NatsJSErrorCodes.StreamNameInUse)
            {
                try
                {
                    return await UpdateStreamAsync(config, cancellationToken).ConfigureAwait(false);
                }
                catch (NatsJSApiException u) when (u.ErrCode == NatsJSErrorCodes.StreamNotFound && attempt < 2)
                {
                    // Deleted between our CREATE and UPDATE: go round again.
                }
            }
        }
    }

    /// <summary>True when deleted; false when there was no such stream.</summary>
    public async ValueTask<bool> DeleteStreamAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateName(name, nameof(name));
        try
        {
            var r = await RequestAsync(ApiSubject("STREAM.DELETE." + name), ReadOnlyMemory<byte>.Empty, NatsJSJsonContext.Default.SuccessResponse, cancellationToken).ConfigureAwait(false);
            return r.Success;
        }
        catch (NatsJSApiException e) when (e.ErrCode == NatsJSErrorCodes.StreamNotFound)
        {
            return false;
        }
    }

    /// <summary>Removes messages (all, or those of one subject filter); returns how many.</summary>
    public async ValueTask<ulong> PurgeStreamAsync(string name, string? filter = null, CancellationToken cancellationToken = default)
    {
        ValidateName(name, nameof(name));
        var body = filter is null ? ReadOnlyMemory<byte>.Empty : JsonSerializer.SerializeToUtf8Bytes(new PurgeRequest { Filter = filter }, NatsJSJsonContext.Default.PurgeRequest);
        var r = await RequestAsync(ApiSubject("STREAM.PURGE." + name), body, NatsJSJsonContext.Default.PurgeResponse, cancellationToken).ConfigureAwait(false);
        return r.Purged;
    }

    internal string ApiSubject(string suffix) => Opts.ApiPrefix + "." + suffix;

    private ValueTask<StreamInfo> StreamRequestAsync(string op, StreamConfig config, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ValidateName(config.Name, nameof(config));
        var body = JsonSerializer.SerializeToUtf8Bytes(config, NatsJSJsonContext.Default.StreamConfig);
        return RequestAsync(ApiSubject(op + config.Name), body, NatsJSJsonContext.Default.StreamInfo, cancellationToken);
    }

    /// <summary>One API call: request, then "check error first" (§3.1), then the typed body.</summary>
    internal async ValueTask<T> RequestAsync<T>(string subject, ReadOnlyMemory<byte> body, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken)
    {
        var reply = await Connection.RequestAsync(subject, body, null, Opts.RequestTimeout, cancellationToken).ConfigureAwait(false);
        return ParseResponse(reply.Data, typeInfo);
    }

    internal static T ParseResponse<T>(ReadOnlyMemory<byte> json, JsonTypeInfo<T> typeInfo)
    {
        if (json.IsEmpty) throw new NatsJSApiException("Empty JetStream API response");
        var error = JsonSerializer.Deserialize(json.Span, NatsJSJsonContext.Default.ApiErrorResponse)?.Error;
        if (error is not null) throw new NatsJSApiException(error.Code, error.ErrCode, error.Description ?? "");
        return JsonSerializer.Deserialize(json.Span, typeInfo) ?? throw new NatsJSApiException("Null JetStream API response");
    }

    internal static byte[] Serialize<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);

    private static readonly SearchValues<char> NameForbidden = SearchValues.Create(".*> \t\r\n");

    // Stream and consumer names become subject tokens: no dots, wildcards or whitespace.
    internal static void ValidateName(string name, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, paramName);
        if (name.AsSpan().IndexOfAny(NameForbidden) >= 0) throw new ArgumentException($"'{name}' is not a valid stream or consumer name", paramName);
    }

    internal static PubAck ParsePubAck(ReadOnlyMemory<byte> data)
    {
        string? stream = null;
        return PubAckParser.Parse(new ReadOnlySequence<byte>(data), ref stream);
    }
}
