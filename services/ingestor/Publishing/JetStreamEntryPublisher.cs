using System.Collections.Concurrent;
using Certstream.Contracts;
using Certstream.Ingestor.Http;
using Certstream.Ingestor.Logs;
using Certstream.Nats;
using Certstream.Nats.JetStream;
using Microsoft.Extensions.Logging;

namespace Certstream.Ingestor.Publishing;

/// <summary>
/// Publishes each entry as a MessagePack <see cref="RawEntry"/> to <c>ct.raw.&lt;log&gt;</c> with
/// <c>Nats-Msg-Id: &lt;log&gt;:&lt;index&gt;</c> (SPEC §3) through one pipelined <see cref="NatsJSPublisher"/>.
/// Transient failures (no ack in time, 503, a lost connection) are re-published with backoff: the Msg-Id makes a
/// repeat a duplicate the stream drops (SPEC §5), so retrying is always safe. The encoded bytes live in a pooled
/// buffer until the PubAck, because the NATS publisher re-sends them as they are.
/// </summary>
internal sealed class JetStreamEntryPublisher : IEntryPublisher, IAsyncDisposable
{
    private readonly NatsJSPublisher _publisher;
    private readonly JetStreamPublisherSettings _settings;
    private readonly Backoff _backoff;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, string> _subjects = new(StringComparer.Ordinal);
    private long _retries;

    public JetStreamEntryPublisher(NatsJSContext js, JetStreamPublisherSettings settings, ILoggerFactory loggers, TimeProvider? time = null)
    {
        _settings = settings;
        _publisher = js.CreatePublisher(new NatsJSPublisherOpts
        {
            MaxAcksInFlight = settings.Window,
            AckTimeout = settings.AckTimeout,
        });
        _backoff = new Backoff(settings.RetryMin, settings.RetryMax);
        _logger = loggers.CreateLogger<JetStreamEntryPublisher>();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Re-publishes made after transient failures so far.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    public async ValueTask<Task> PublishAsync(LogDescriptor log, ulong index, ReadOnlyMemory<byte> leafInput, ReadOnlyMemory<byte> extraData,
        DateTimeOffset fetchedAt, CancellationToken cancellationToken)
    {
        var buffer = Encode(log, index, leafInput, extraData, fetchedAt);
        var subject = _subjects.GetOrAdd(log.Key, Subjects.Raw);
        var msgId = MessageHeaders.MessageIdFor(log.Key, index);
        NatsJSPubAckFuture first;
        try
        {
            // The follower's token: followers stop before the publisher is disposed (IngestorService).
            first = await SendAsync(subject, buffer.WrittenMemory, msgId, cancellationToken);
        }
        catch
        {
            buffer.Return();
            throw;
        }
        return AwaitAckAsync(first, subject, msgId, buffer);
    }

    /// <summary>Stops retrying (pending ack tasks end cancelled) and releases the NATS publisher.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        await _stopping.CancelAsync();
        await _publisher.DisposeAsync();
    }

    private static PooledBufferWriter Encode(LogDescriptor log, ulong index, ReadOnlyMemory<byte> leafInput, ReadOnlyMemory<byte> extraData, DateTimeOffset fetchedAt)
    {
        var entry = new RawEntry
        {
            Log = log.Key,
            Url = log.Url,
            Name = log.Description,
            Operator = log.Operator,
            Type = log.Kind == LogKind.Tiled ? LogType.Tiled : LogType.Rfc6962,
            Index = index,
            LeafInput = leafInput,
            ExtraData = extraData,
            FetchedAt = fetchedAt.ToUnixTimeMilliseconds() / 1000.0,
        };
        // Map keys, strings and length prefixes stay well under 256 bytes beyond the two blobs and the three strings.
        var buffer = new PooledBufferWriter(256 + leafInput.Length + extraData.Length + (2 * log.Url.Length) + log.Description.Length + log.Operator.Length);
        RawEntryCodec.Write(buffer, entry);
        return buffer;
    }

    /// <summary>Takes a place in the window and buffers the message; a full reconnect buffer is waited out with backoff.</summary>
    private async ValueTask<NatsJSPubAckFuture> SendAsync(string subject, ReadOnlyMemory<byte> data, string msgId, CancellationToken cancellationToken)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                return await _publisher.PublishAsync(subject, data, msgId, cancellationToken: cancellationToken);
            }
            catch (Exception e) when (IsTransient(e) && !cancellationToken.IsCancellationRequested)
            {
                _logger.LogDebug("publish {MsgId} not buffered ({Error}); retrying", msgId, e.Message);
                await Task.Delay(_backoff.Delay(failures), _time, cancellationToken);
            }
        }
    }

    /// <summary>The inner task of <see cref="PublishAsync"/>: completes on the PubAck (a duplicate ack counts), re-publishing on transient failures.</summary>
    private async Task AwaitAckAsync(NatsJSPubAckFuture future, string subject, string msgId, PooledBufferWriter buffer)
    {
        try
        {
            for (var failures = 1; ; failures++)
            {
                try
                {
                    await future;
                    return;
                }
                catch (Exception e) when (IsTransient(e) && failures <= _settings.MaxRetries && !_stopping.IsCancellationRequested)
                {
                    Interlocked.Increment(ref _retries);
                    _logger.LogDebug("publish {MsgId} not acked ({Error}); re-publishing", msgId, e.Message);
                }
                await Task.Delay(_backoff.Delay(failures), _time, _stopping.Token);
                future = await SendAsync(subject, buffer.WrittenMemory, msgId, _stopping.Token);
            }
        }
        catch (Exception e) when (_stopping.IsCancellationRequested && e is not OperationCanceledException)
        {
            // Shutting down: report "cancelled", the follower keeps its checkpoint below this entry.
            throw new OperationCanceledException("publisher stopped", e, _stopping.Token);
        }
        finally
        {
            buffer.Return();
        }
    }

    /// <summary>Failures a re-send can fix; anything else (e.g. a stream rejecting the message) fails the entry.</summary>
    private static bool IsTransient(Exception e) => e switch
    {
        NatsJSPublishTimeoutException or NatsNoRespondersException or NatsRequestTimeoutException => true,
        NatsConnectionClosedException or NatsReconnectBufferFullException => true,
        NatsJSApiException api => api.Code == 503,
        NatsPayloadTooLargeException => false,
        NatsException => true,
        _ => false,
    };
}
