using Certstream.Contracts;
using Certstream.Hosting.Configuration;
using Certstream.Hosting.Messaging;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Certstream.Edge;

/// <summary>
/// Feeds the parser's messages (<c>certstream.{full,lite,domains}.&lt;log&gt;</c>, README "NATS subjects") into the
/// <see cref="StreamHub"/>, each stream with a reader of its own so that a burst on one never queues behind another.
/// A stream <c>CT_HISTORY</c> keeps (<c>history.streams</c>) is read from that stream, by an ordered consumer that goes on
/// from the last message it handed over after any break (a NATS reconnect, a server restart, a new stream leader), so an
/// edge misses none of its messages (README "A NATS cluster"). The other streams are core subscriptions: what is published
/// while the edge reconnects is lost to it, and each such break is logged and counted (<c>certstream_edge_feed_gaps_total</c>).
/// NATS.Net hands each payload over as an array of its own, so the hub can give the same array to every client.
/// </summary>
internal sealed class StreamFeed(NatsConnector connector, StreamHub hub, CertstreamConfig config, ILogger<StreamFeed> logger) : BackgroundService
{


    private int _waiting = StreamKinds.All.Count;
    private volatile string _notReady = "not connected to NATS";

    // Streams whose CT_HISTORY reader broke off and has not read again yet, with the reason.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<StreamKind, string> _broken = new();

    /// <summary>True while every stream's reader is in place and reading (part of readiness).</summary>
    public bool IsSubscribed => Volatile.Read(ref _waiting) == 0 && _broken.IsEmpty;

    /// <summary>Why the feed is not ready.</summary>
    public string NotReadyReason =>
        _broken.FirstOrDefault() is { Value: { } reason } broken
            ? $"reading the {broken.Key.Name()} stream from {JetStreamNames.HistoryStream} broke off ({reason}); going on when NATS lets it"
            : _notReady;

    /// <summary>Whether <paramref name="kind"/> is read from CT_HISTORY rather than a core subscription.</summary>
    public bool FromHistory(StreamKind kind) => config.History.Enabled && config.History.Streams.Contains(kind.Name());

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await connector.WaitConnectedAsync(stoppingToken);
            _notReady = "starting to read the streams";
            var kept = StreamKinds.All.Where(FromHistory).ToList();
            var core = StreamKinds.All.Where(k => !FromHistory(k)).ToList();
            ulong start = 0;
            if (kept.Count > 0) start = await EnsureHistoryAsync(stoppingToken);
            var readers = kept.Select(kind => ReadHistoryAsync(kind, start, stoppingToken))
                .Concat(core.Select(kind => ReadCoreAsync(kind, stoppingToken)))
                .ToList();
            if (core.Count > 0) connector.Connection.ConnectionDisconnected += OnDisconnected;
            try
            {
                await Task.WhenAll(readers);
            }
            finally
            {
                connector.Connection.ConnectionDisconnected -= OnDisconnected;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            Volatile.Write(ref _waiting, StreamKinds.All.Count);
        }

        ValueTask OnDisconnected(object? sender, NatsEventArgs args)
        {
            var lost = string.Join(", ", StreamKinds.All.Where(k => !FromHistory(k)).Select(k => k.Name()));
            foreach (var kind in StreamKinds.All.Where(k => !FromHistory(k))) hub.CountFeedGap(kind);
            logger.LogWarning("NATS connection lost: messages of the {Streams} stream published until it is back are not received by this edge (CT_HISTORY does not keep them: history.streams)", lost);
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>
    /// Makes sure CT_HISTORY exists (the parser owns its config; an edge that starts first creates it with the same one) and
    /// returns its last sequence: the readers start after it. Retried until it works, with one line per failure.
    /// </summary>
    private async Task<ulong> EnsureHistoryAsync(CancellationToken cancellationToken)
    {
        var js = new NatsJSContext(connector.Connection);
        var history = config.History;
        for (var failures = 1; ; failures++)
        {
            try
            {
                try
                {
                    return (await js.GetStreamAsync(JetStreamNames.HistoryStream, cancellationToken: cancellationToken)).Info.State.LastSeq;
                }
                catch (NatsJSApiException e) when (e.Error.ErrCode == JetStreamErrors.StreamNotFound)
                {
                    var stream = await JetStreamRefusal.EnsureAsync(JetStreamNames.HistoryStream, config.Nats.Replicas, () => js.CreateStreamAsync(
                        JetStreamConfigs.HistoryStream(history.Streams, history.MaxAge, history.MaxBytes, config.Nats.Replicas), cancellationToken));
                    return stream.Info.State.LastSeq;
                }
            }
            catch (NatsJSException e) when (e.InnerException is NatsJSApiException { Error.ErrCode: JetStreamErrors.StreamNameInUse })
            {
                continue; // created in between by the parser: read it
            }
            catch (Exception e) when ((e is NatsException or TimeoutException) && !cancellationToken.IsCancellationRequested)
            {
                _notReady = $"{JetStreamNames.HistoryStream} not reachable: {e.Message}";
                var delay = HistoryReader.RetryDelay(failures);
                logger.LogWarning("Cannot read {Stream} (attempt {Attempt}), retrying in {Delay:0.0}s: {Error}", JetStreamNames.HistoryStream, failures, delay.TotalSeconds, e.Message);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    /// <summary>Reads one stream's messages from CT_HISTORY after sequence <paramref name="after"/>, forever (<see cref="HistoryReader"/>).</summary>
    private async Task ReadHistoryAsync(StreamKind kind, ulong after, CancellationToken cancellationToken)
    {
        var subject = Subjects.AllOf(kind.Name());
        var ready = false;
        var reader = new HistoryReader(connector.Connection, logger);
        await foreach (var msg in reader.ReadAsync(subject, after, null, OnReading, reason => _broken[kind] = reason, cancellationToken))
        {
            if (msg.Data is { } data) hub.Publish(kind, LogOf(msg.Subject), data, msg.Headers);
        }

        void OnReading(ulong last)
        {
            _broken.TryRemove(kind, out _);
            if (ready) return;
            ready = true;
            logger.LogInformation("reading {Subject} from {Stream} after sequence {Sequence}", subject, JetStreamNames.HistoryStream, last);
            Interlocked.Decrement(ref _waiting);
        }
    }

    private async Task ReadCoreAsync(StreamKind kind, CancellationToken cancellationToken)
    {
        var subject = Subjects.AllOf(kind.Name());
        await using var subscription = await connector.Connection.SubscribeCoreAsync<byte[]>(subject, cancellationToken: cancellationToken);
        logger.LogInformation("subscribed to {Subject}", subject);
        Interlocked.Decrement(ref _waiting);
        var reader = subscription.Msgs;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            while (reader.TryRead(out var msg))
            {
                if (msg.Data is { } data)
                    hub.Publish(kind, LogOf(msg.Subject), data, msg.Headers);
            }
        }
    }

    // certstream.<stream>.<log>: the log key is the third token (log keys hold no dots).
    private static string LogOf(string subject)
    {
        var second = subject.IndexOf('.', subject.IndexOf('.') + 1);
        return second < 0 ? "" : subject[(second + 1)..];
    }
}
