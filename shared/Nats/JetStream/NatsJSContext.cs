using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Certstream.Nats.JetStream;

/// <summary>
/// JetStream (2.9.10) over a core connection: account info, streams, publish with PubAck, durable pull consumers and
/// fetch (§3). Every API call is a request with a client-side timeout, because a missing consumer answers with silence (trap 7).
/// </summary>
public sealed class NatsJSContext
{
    private const string Api = "$JS.API.";
    private readonly NatsConnection _connection;
    private readonly TimeSpan _apiTimeout;

    public NatsJSContext(NatsConnection connection, TimeSpan? apiTimeout = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _apiTimeout = apiTimeout ?? TimeSpan.FromSeconds(5);
    }

    public NatsConnection Connection => _connection;

    public Task<NatsJSAccountInfo> GetAccountInfoAsync(CancellationToken cancellationToken = default) =>
        ApiAsync("INFO", null, JetStreamJsonContext.Default.NatsJSAccountInfo, cancellationToken);

    /// <summary>Creates the stream, or updates it when it exists with a different configuration (10058, §3.4).</summary>
    public async Task<NatsJSStreamInfo> EnsureStreamAsync(NatsJSStreamConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ValidateName(config.Name);
        var body = JsonSerializer.SerializeToUtf8Bytes(config, JetStreamJsonContext.Default.NatsJSStreamConfig);
        try
        {
            return await ApiAsync("STREAM.CREATE." + config.Name, body, JetStreamJsonContext.Default.NatsJSStreamInfo, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsJSApiException e) when (e.ErrCode == 10058)
        {
            return await ApiAsync("STREAM.UPDATE." + config.Name, body, JetStreamJsonContext.Default.NatsJSStreamInfo, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Throws <see cref="NatsJSApiException"/> with 404/10059 when the stream does not exist.</summary>
    public Task<NatsJSStreamInfo> GetStreamAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        return ApiAsync("STREAM.INFO." + name, null, JetStreamJsonContext.Default.NatsJSStreamInfo, cancellationToken);
    }

    public async Task<bool> DeleteStreamAsync(string name, CancellationToken cancellationToken = default)
    {
        ValidateName(name);
        return (await ApiAsync("STREAM.DELETE." + name, null, JetStreamJsonContext.Default.SuccessResponse, cancellationToken).ConfigureAwait(false)).Success;
    }

    /// <summary>Creates or updates a durable pull consumer (CONSUMER.DURABLE.CREATE, §3.6).</summary>
    public Task<NatsJSConsumerInfo> EnsureConsumerAsync(string stream, NatsJSConsumerConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ValidateName(stream);
        ValidateName(config.DurableName!);
        var body = JsonSerializer.SerializeToUtf8Bytes(new CreateConsumerRequest(stream, config), JetStreamJsonContext.Default.CreateConsumerRequest);
        return ApiAsync($"CONSUMER.DURABLE.CREATE.{stream}.{config.DurableName}", body, JetStreamJsonContext.Default.NatsJSConsumerInfo, cancellationToken);
    }

    /// <summary>
    /// Creates an ephemeral pull consumer (legacy CONSUMER.CREATE.&lt;stream&gt;, no durable name, §3.6); the server names it
    /// and removes it after <see cref="NatsJSConsumerConfig.InactiveThreshold"/> without pulls (default 5 s).
    /// </summary>
    public Task<NatsJSConsumerInfo> CreateEphemeralConsumerAsync(string stream, NatsJSConsumerConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ValidateName(stream);
        if (config.DurableName is not null) throw new ArgumentException("An ephemeral consumer has no durable name", nameof(config));
        var body = JsonSerializer.SerializeToUtf8Bytes(new CreateConsumerRequest(stream, config), JetStreamJsonContext.Default.CreateConsumerRequest);
        return ApiAsync($"CONSUMER.CREATE.{stream}", body, JetStreamJsonContext.Default.NatsJSConsumerInfo, cancellationToken);
    }

    /// <summary>Throws <see cref="NatsJSApiException"/> with 404/10014 when the consumer does not exist.</summary>
    public Task<NatsJSConsumerInfo> GetConsumerAsync(string stream, string consumer, CancellationToken cancellationToken = default)
    {
        ValidateName(stream);
        ValidateName(consumer);
        return ApiAsync($"CONSUMER.INFO.{stream}.{consumer}", null, JetStreamJsonContext.Default.NatsJSConsumerInfo, cancellationToken);
    }

    public async Task<bool> DeleteConsumerAsync(string stream, string consumer, CancellationToken cancellationToken = default)
    {
        ValidateName(stream);
        ValidateName(consumer);
        return (await ApiAsync($"CONSUMER.DELETE.{stream}.{consumer}", null, JetStreamJsonContext.Default.SuccessResponse, cancellationToken).ConfigureAwait(false)).Success;
    }

    /// <summary>
    /// Publishes and waits for the PubAck. Errors in the ack (10060, 10070, 10071, ...) throw <see cref="NatsJSApiException"/>;
    /// a subject no stream covers throws <see cref="NatsNoRespondersException"/> (§3.5).
    /// </summary>
    public async Task<NatsJSPubAck> PublishAsync(string subject, ReadOnlyMemory<byte> data, NatsJSPubOpts? opts = null, NatsHeaders? headers = null, CancellationToken cancellationToken = default)
    {
        var reply = await _connection.RequestAsync(subject, data, WithExpectations(headers, opts), _apiTimeout, cancellationToken).ConfigureAwait(false);
        var ack = Deserialize(reply, JetStreamJsonContext.Default.PubAckResponse);
        if (ack.Error is { } error) throw new NatsJSApiException(error.Code, error.ErrCode, error.Description);
        return new NatsJSPubAck { Stream = ack.Stream, Seq = ack.Seq, Duplicate = ack.Duplicate };
    }

    /// <summary>A publisher that keeps up to <paramref name="maxAcksInFlight"/> PubAcks outstanding (pipelined publishing).</summary>
    public NatsJSPublisher CreatePublisher(int maxAcksInFlight = 256) => new(this, maxAcksInFlight);

    /// <summary>
    /// One pull request on its own inbox sid (§3.7, never the muxed inbox): yields messages until the batch is full or a
    /// terminating status arrives (404, 408, 409 max bytes). 100 heartbeats are consumed; two missed heartbeats, a 400,
    /// or other 409s throw <see cref="NatsJSException"/>.
    /// </summary>
    public async IAsyncEnumerable<NatsJSMsg> FetchAsync(string stream, string consumer, NatsJSFetchOpts opts, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(opts);
        ValidateName(stream);
        ValidateName(consumer);
        if (opts.Batch < 1) throw new ArgumentOutOfRangeException(nameof(opts), "Batch must be at least 1");
        var expires = opts.Expires > TimeSpan.Zero ? opts.Expires : (opts.NoWait ? TimeSpan.Zero : TimeSpan.FromSeconds(30));
        if (opts.IdleHeartbeat > TimeSpan.Zero && expires < opts.IdleHeartbeat * 2)
            throw new ArgumentException("Expires must be at least twice the idle heartbeat", nameof(opts));

        var request = new PullRequest
        {
            Batch = opts.Batch,
            Expires = expires > TimeSpan.Zero ? expires : null,
            NoWait = opts.NoWait ? true : null,
            MaxBytes = opts.MaxBytes > 0 ? opts.MaxBytes : null,
            IdleHeartbeat = opts.IdleHeartbeat > TimeSpan.Zero ? opts.IdleHeartbeat : null,
        };
        var inbox = "_INBOX." + Internal.Nuid.Next();
        await using var sub = await _connection.SubscribeAsync(inbox, cancellationToken: cancellationToken).ConfigureAwait(false);
        await _connection.PublishAsync($"{Api}CONSUMER.MSG.NEXT.{stream}.{consumer}",
            JsonSerializer.SerializeToUtf8Bytes(request, JetStreamJsonContext.Default.PullRequest), replyTo: inbox, cancellationToken: cancellationToken).ConfigureAwait(false);

        // Silence is how a missing consumer answers: bound the wait by expires (+ margin) or the heartbeat.
        var overall = expires > TimeSpan.Zero ? expires + TimeSpan.FromSeconds(1) : _apiTimeout;
        var idleLimit = opts.IdleHeartbeat > TimeSpan.Zero ? opts.IdleHeartbeat * 2 : overall;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(overall);
        var received = 0;
        while (received < opts.Batch)
        {
            NatsMsg msg;
            using (var idle = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token))
            {
                idle.CancelAfter(idleLimit);
                try
                {
                    msg = await sub.Msgs.ReadAsync(idle.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    if (deadline.IsCancellationRequested) yield break; // the server's own 408 did not arrive: treat as expired
                    throw new NatsJSException($"Missed idle heartbeats from {stream}/{consumer}");
                }
            }
            switch (msg.StatusCode)
            {
                case 0:
                    received++;
                    yield return new NatsJSMsg(this, msg);
                    break;
                case 100:
                    break; // idle heartbeat: the request is alive
                case 404 or 408:
                    yield break;
                case 409 when msg.Headers?.StatusDescription?.StartsWith("Message Size Exceeds MaxBytes", StringComparison.OrdinalIgnoreCase) == true:
                    yield break;
                default:
                    throw new NatsJSException(msg.StatusCode, $"Pull request on {stream}/{consumer} ended with {msg.StatusCode} {msg.Headers?.StatusDescription}");
            }
        }
    }

    /// <summary>
    /// Consumes without end (until cancelled): keeps up to <see cref="NatsJSConsumeOpts.MaxMsgs"/> messages requested on one
    /// inbox and tops up when half are used. Expired or partially filled pulls (408, 409 max bytes) return their unfilled
    /// count; missed heartbeats or a reconnect re-issue the pull. Terminal statuses (400, other 409s) throw.
    /// </summary>
    public async IAsyncEnumerable<NatsJSMsg> ConsumeAsync(string stream, string consumer, NatsJSConsumeOpts? opts = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        opts ??= new NatsJSConsumeOpts();
        ValidateName(stream);
        ValidateName(consumer);
        if (opts.MaxMsgs < 1) throw new ArgumentOutOfRangeException(nameof(opts), "MaxMsgs must be at least 1");
        if (opts.IdleHeartbeat > TimeSpan.Zero && opts.Expires < opts.IdleHeartbeat * 2)
            throw new ArgumentException("Expires must be at least twice the idle heartbeat", nameof(opts));
        var inbox = "_INBOX." + Internal.Nuid.Next();
        var next = $"{Api}CONSUMER.MSG.NEXT.{stream}.{consumer}";
        await using var sub = await _connection.SubscribeAsync(inbox, cancellationToken: cancellationToken).ConfigureAwait(false);
        var reconnects = 0;
        void OnReconnected(object? sender, NatsConnectionEventArgs e) => Interlocked.Increment(ref reconnects);
        _connection.Reconnected += OnReconnected;
        try
        {
            var pending = 0; // messages requested and not yet delivered
            var seenReconnects = 0;
            var idleLimit = opts.IdleHeartbeat > TimeSpan.Zero ? opts.IdleHeartbeat * 2 : opts.Expires + TimeSpan.FromSeconds(1);
            while (true)
            {
                var r = Volatile.Read(ref reconnects);
                if (r != seenReconnects)
                {
                    // Waiting pulls are tied to the old connection's interest; start over.
                    seenReconnects = r;
                    pending = 0;
                }
                if (pending <= opts.MaxMsgs / 2)
                {
                    var request = new PullRequest
                    {
                        Batch = opts.MaxMsgs - pending,
                        Expires = opts.Expires,
                        IdleHeartbeat = opts.IdleHeartbeat > TimeSpan.Zero ? opts.IdleHeartbeat : null,
                    };
                    await _connection.PublishAsync(next, JsonSerializer.SerializeToUtf8Bytes(request, JetStreamJsonContext.Default.PullRequest),
                        replyTo: inbox, cancellationToken: cancellationToken).ConfigureAwait(false);
                    pending = opts.MaxMsgs;
                }
                NatsMsg msg;
                using (var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                {
                    idle.CancelAfter(idleLimit);
                    try
                    {
                        msg = await sub.Msgs.ReadAsync(idle.Token).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        pending = 0; // no heartbeat: assume the pull is gone and ask again
                        continue;
                    }
                }
                switch (msg.StatusCode)
                {
                    case 0:
                        pending = Math.Max(0, pending - 1);
                        yield return new NatsJSMsg(this, msg);
                        break;
                    case 100:
                        break;
                    case 408 or 404:
                    case 409 when msg.Headers?.StatusDescription?.StartsWith("Message Size Exceeds MaxBytes", StringComparison.OrdinalIgnoreCase) == true:
                        // The request ended with this many messages unfilled.
                        pending = int.TryParse(msg.Headers?["Nats-Pending-Messages"], NumberStyles.None, CultureInfo.InvariantCulture, out var unfilled)
                            ? Math.Max(0, pending - unfilled) : 0;
                        break;
                    default:
                        throw new NatsJSException(msg.StatusCode, $"Consuming {stream}/{consumer} ended with {msg.StatusCode} {msg.Headers?.StatusDescription}");
                }
            }
        }
        finally
        {
            _connection.Reconnected -= OnReconnected;
        }
    }

    internal static NatsHeaders? WithExpectations(NatsHeaders? headers, NatsJSPubOpts? opts)
    {
        if (opts is null) return headers;
        var h = new NatsHeaders();
        if (headers is not null)
            foreach (var kv in headers) h.Add(kv.Key, kv.Value);
        if (opts.MsgId is not null) h["Nats-Msg-Id"] = opts.MsgId;
        if (opts.ExpectedStream is not null) h["Nats-Expected-Stream"] = opts.ExpectedStream;
        if (opts.ExpectedLastSequence is { } seq) h["Nats-Expected-Last-Sequence"] = seq.ToString(CultureInfo.InvariantCulture);
        if (opts.ExpectedLastSubjectSequence is { } sseq) h["Nats-Expected-Last-Subject-Sequence"] = sseq.ToString(CultureInfo.InvariantCulture);
        if (opts.ExpectedLastMsgId is not null) h["Nats-Expected-Last-Msg-Id"] = opts.ExpectedLastMsgId;
        return h.Count == 0 ? headers : h;
    }

    private async Task<T> ApiAsync<T>(string suffix, byte[]? body, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        NatsMsg reply;
        try
        {
            reply = await _connection.RequestAsync(Api + suffix, body, timeout: _apiTimeout, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NatsNoRespondersException e)
        {
            throw new NatsJSException("JetStream is not enabled on this server (no responders on $JS.API, §3.1)", e);
        }
        var envelope = Deserialize(reply, JetStreamJsonContext.Default.ApiEnvelope);
        if (envelope.Error is { } error) throw new NatsJSApiException(error.Code, error.ErrCode, error.Description);
        return Deserialize(reply, type);
    }

    private static T Deserialize<T>(NatsMsg reply, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(reply.Data.Span, type) ?? throw new NatsJSException("Empty JetStream API response");
        }
        catch (JsonException e)
        {
            throw new NatsJSException("Malformed JetStream API response: " + e.Message, e);
        }
    }

    // Stream and durable names become subject tokens (§1.8): keep them to [A-Za-z0-9_-].
    private static void ValidateName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (var c in name)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                throw new ArgumentException($"Invalid JetStream name '{name}': use A-Z, a-z, 0-9, '_' and '-'", nameof(name));
    }
}
