using System.Collections.Concurrent;
using Certstream.Contracts;
using Certstream.Ingestor.Http;
using Certstream.Ingestor.Logs;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Certstream.Ingestor.Publishing;

/// <summary>
/// Publishes each entry as a MessagePack <see cref="RawEntry"/> to <c>ct.raw.&lt;log&gt;</c> with
/// <c>Nats-Msg-Id: &lt;log&gt;:&lt;index&gt;</c> (README "NATS subjects") on NATS.Net's JetStream publish, with at most
/// <see cref="JetStreamPublisherSettings.Window"/> publishes awaiting their PubAck at once: a full window is the followers'
/// back-pressure. A PubAck marked duplicate counts as acked (the stream already holds the entry). Transient failures (no
/// ack in time, no responders, a lost connection, a 503) are re-published with backoff and the same Msg-Id, so a repeat
/// is a duplicate the stream drops (ingest behaviour: exactly once in CT_RAW). NATS.Net holds a publish while it is
/// reconnecting, so every attempt is bounded by <see cref="JetStreamPublisherSettings.AckTimeout"/> here. The encoded
/// bytes live in a pooled buffer until the PubAck.
/// </summary>
internal sealed class JetStreamEntryPublisher : IEntryPublisher, IAsyncDisposable
{
    private readonly NatsJSContext _js;
    private readonly JetStreamPublisherSettings _settings;
    private readonly SemaphoreSlim _window;
    private readonly Backoff _backoff;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, string> _subjects = new(StringComparer.Ordinal);
    private long _retries;
    private volatile string? _problem;

    public JetStreamEntryPublisher(INatsConnection connection, JetStreamPublisherSettings settings, ILoggerFactory loggers, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _settings = settings;
        // The JetStream request timeout is how long one send waits for its PubAck.
        _js = new NatsJSContext(connection, new NatsJSOpts(connection.Opts, requestTimeout: settings.AckTimeout));
        _window = new SemaphoreSlim(settings.Window, settings.Window);
        _backoff = new Backoff(settings.RetryMin, settings.RetryMax);
        _logger = loggers.CreateLogger<JetStreamEntryPublisher>();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Re-publishes made after transient failures so far.</summary>
    public long Retries => Interlocked.Read(ref _retries);

    /// <summary>Publishes awaiting their PubAck right now.</summary>
    public int InFlight => _settings.Window - _window.CurrentCount;

    /// <summary>Why the last publish attempt was not acked (e.g. CT_RAW has no leader: a cluster without quorum); null once one was.</summary>
    public string? PublishProblem => _problem;

    public async ValueTask<Task> PublishAsync(LogDescriptor log, ulong index, ReadOnlyMemory<byte> leafInput, ReadOnlyMemory<byte> extraData,
        DateTimeOffset fetchedAt, CancellationToken cancellationToken)
    {
        var buffer = Encode(log, index, leafInput, extraData, fetchedAt);
        try
        {
            // The follower's token: followers stop before the publisher is disposed (IngestorService).
            await _window.WaitAsync(cancellationToken);
        }
        catch
        {
            buffer.Return();
            throw;
        }
        var subject = _subjects.GetOrAdd(log.Key, Subjects.Raw);
        return PublishUntilAckedAsync(subject, MessageHeaders.MessageIdFor(log.Key, index), buffer);
    }

    /// <summary>Stops retrying: pending ack tasks end cancelled, and the follower keeps its checkpoint below them.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested) return;
        await _stopping.CancelAsync();
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

    /// <summary>The inner task of <see cref="PublishAsync"/>: completes on the PubAck (a duplicate ack counts), re-publishing on transient failures.</summary>
    private async Task PublishUntilAckedAsync(string subject, string msgId, PooledBufferWriter buffer)
    {
        // NATS.Net would retry a 503 itself, waiting a second between tries; this loop retries every transient failure with its own backoff.
        var opts = new NatsJSPubOpts { MsgId = msgId, RetryAttempts = 1 };
        try
        {
            for (var failures = 1; ; failures++)
            {
                var failure = await TryPublishAsync(subject, buffer.WrittenMemory, opts);
                if (failure is null)
                {
                    if (_problem is not null)
                    {
                        _problem = null;
                        _logger.LogInformation("publishing to {Stream} works again", JetStreamNames.RawStream);
                    }
                    return;
                }
                if (_problem is null)
                    _logger.LogWarning("publishing to {Stream} fails: {Error}; re-publishing until acked (not ready meanwhile)", JetStreamNames.RawStream, failure.Message);
                _problem = failure.Message;
                if (!IsTransient(failure) || failures > _settings.MaxRetries || _stopping.IsCancellationRequested)
                    throw failure;
                Interlocked.Increment(ref _retries);
                _logger.LogDebug("publish {MsgId} not acked ({Error}); re-publishing", msgId, failure.Message);
                await Task.Delay(_backoff.Delay(failures), _time, _stopping.Token);
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
            _window.Release();
        }
    }

    /// <summary>One attempt, bounded by the ack timeout also while the client reconnects: null when acked, else why not.</summary>
    private async Task<Exception?> TryPublishAsync(string subject, ReadOnlyMemory<byte> data, NatsJSPubOpts opts)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        attempt.CancelAfter(_settings.AckTimeout);
        try
        {
            var result = await _js.TryPublishAsync(subject, data, opts: opts, cancellationToken: attempt.Token);
            return !result.Success ? result.Error
                : result.Value.Error is { } error ? new NatsJSApiException(error)
                : null;
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            return new TimeoutException($"no PubAck within {_settings.AckTimeout.TotalSeconds:0.#} s (NATS {_js.Connection.ConnectionState})");
        }
    }

    /// <summary>Failures a re-send can fix; anything else (e.g. a stream refusing the message for its size) fails the entry.</summary>
    private static bool IsTransient(Exception e) => e switch
    {
        NatsJSApiException api => api.Error.Code is 503 or 408 or 500,
        NatsPayloadTooLargeException => false,
        NatsException => true,
        TimeoutException => true,
        _ => false,
    };
}
