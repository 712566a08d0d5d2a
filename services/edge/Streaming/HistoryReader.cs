using System.Runtime.CompilerServices;
using Certstream.Contracts;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Certstream.Edge;

/// <summary>
/// Reads one subject of <c>CT_HISTORY</c> in stream order, from a start on and without end, going on after any break (a NATS
/// reconnect, a server restart, a new stream leader, a message lost on the way) from the message after the last one it
/// returned: an ordered consumer. NATS.Net's own ordered consumer is not used because it sends its filter as
/// <c>filter_subjects</c>, which nats-server 2.9 ignores; this one makes an ephemeral consumer with one
/// <c>filter_subject</c> (2.9's extended create subject), ack none, in memory.
/// </summary>
internal sealed class HistoryReader(INatsConnection connection, ILogger logger)
{
    /// <summary>How long the server keeps a consumer nobody pulls from: one left behind by a broken reader goes by itself.</summary>
    public static readonly TimeSpan InactiveThreshold = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan RetryMin = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan RetryMax = TimeSpan.FromSeconds(2);

    private const int Batch = 1000;

    /// <summary>How long without a message before the watchdog asks whether the consumer still exists.</summary>
    public static readonly TimeSpan WatchInterval = TimeSpan.FromSeconds(3);


    /// <summary>
    /// The messages of <paramref name="subject"/>: after stream sequence <paramref name="afterSequence"/>, or when
    /// <paramref name="startTime"/> is given, from the first message stored at or after it. <paramref name="onReading"/> is
    /// called each time a consumer is in place (the first time: the reader is ready), <paramref name="onBroken"/> with the
    /// reason each time reading broke off (until the next <paramref name="onReading"/>).
    /// </summary>
    public async IAsyncEnumerable<INatsJSMsg<byte[]>> ReadAsync(string subject, ulong afterSequence, DateTimeOffset? startTime, Action<ulong>? onReading,
        Action<string>? onBroken, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var js = new NatsJSContext(connection);
        var last = afterSequence;
        var byTime = startTime;
        var failures = 0;
        DateTimeOffset? created = null; // the stream's creation time when first read
        while (true)
        {
            INatsJSConsumer consumer;
            try
            {
                var info = (await js.GetStreamAsync(JetStreamNames.HistoryStream, cancellationToken: cancellationToken)).Info;
                // The stream deleted and made again since it was last read (another creation time; its sequences start over):
                // read from its start rather than from a sequence it may not reach for long. (Not judged by its last sequence:
                // in a cluster a replica catching up may answer with an older one.)
                if (created is { } known && info.Created != known && byTime is null)
                {
                    logger.LogWarning("{Stream} was made again (created {Created}) after {Subject} was read up to sequence {Sequence}; reading it from its start",
                        JetStreamNames.HistoryStream, info.Created, subject, last);
                    last = 0;
                }
                created = info.Created;
                consumer = await js.CreateOrUpdateConsumerAsync(JetStreamNames.HistoryStream, Config(subject, last, byTime), cancellationToken);
            }
            catch (Exception e) when ((e is NatsException or TimeoutException) && !cancellationToken.IsCancellationRequested)
            {
                onBroken?.Invoke(e.Message);
                await BackOffAsync(++failures, subject, last, e.Message, cancellationToken);
                continue;
            }
            onReading?.Invoke(last);

            var expected = 1UL; // consumer sequences count from 1: a jump is a message lost on the way
            string? broke = null;
            // A consumer can vanish without the consume noticing (it lives in one server's memory: a restarted or failed
            // server takes it along), so a reconnect, or a quiet spell in which the server no longer knows it, ends it.
            using var consuming = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var watch = new Watch(consuming);
            connection.ConnectionOpened += watch.OnReconnected;
            var watchdog = WatchAsync(js, consumer.Info.Name, watch, consuming.Token);
            try
            {
                await using var messages = consumer.ConsumeAsync<byte[]>(opts: new NatsJSConsumeOpts { MaxMsgs = Batch }, cancellationToken: consuming.Token)
                    .GetAsyncEnumerator(consuming.Token);
                while (broke is null)
                {
                    try
                    {
                        if (!await messages.MoveNextAsync()) broke = "the consumer ended";
                    }
                    catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                    {
                        broke = watch.Reason;
                    }
                    catch (Exception e) when ((e is NatsException or TimeoutException) && !cancellationToken.IsCancellationRequested)
                    {
                        broke = e.Message;
                    }
                    if (broke is not null) break;
                    watch.Arrived();
                    var msg = messages.Current;
                    if (msg.Metadata is not { } metadata) continue;
                    if (metadata.Sequence.Consumer != expected)
                    {
                        broke = $"consumer sequence {metadata.Sequence.Consumer} where {expected} was due";
                        break;
                    }
                    expected++;
                    last = metadata.Sequence.Stream;
                    byTime = null;
                    failures = 0;
                    yield return msg;
                }
            }
            finally
            {
                connection.ConnectionOpened -= watch.OnReconnected;
                await consuming.CancelAsync();
                await watchdog;
                _ = DeleteQuietlyAsync(js, consumer.Info.Name);
            }
            onBroken?.Invoke(broke ?? "the consumer ended");
            await BackOffAsync(++failures, subject, last, broke, cancellationToken);
        }
    }

    /// <summary>
    /// Every <see cref="WatchInterval"/> without a message, asks the server whether the consumer still exists; ends the
    /// consume (through <paramref name="watch"/>) when it does not.
    /// </summary>
    private static async Task WatchAsync(NatsJSContext js, string name, Watch watch, CancellationToken cancellationToken)
    {
        try
        {
            var unconfirmed = 0;
            while (true)
            {
                await Task.Delay(WatchInterval, cancellationToken);
                if (!watch.QuietFor(WatchInterval))
                {
                    unconfirmed = 0;
                    continue;
                }
                try
                {
                    var consumer = await js.GetConsumerAsync(JetStreamNames.HistoryStream, name, cancellationToken);
                    // Messages wait for it, yet none came for two quiet spells: it is stuck (e.g. its server went away and
                    // what answered is a stale view), so it is made again.
                    if (consumer.Info.NumPending > 0 && ++unconfirmed >= 2)
                    {
                        watch.End($"the consumer has {consumer.Info.NumPending} messages pending but delivers none");
                        return;
                    }
                    if (consumer.Info.NumPending == 0) unconfirmed = 0;
                }
                catch (NatsJSApiException e) when (e.Error.ErrCode is JetStreamErrors.ConsumerNotFound or JetStreamErrors.StreamNotFound)
                {
                    watch.End($"the server no longer knows the consumer ({e.Error.Description})");
                    return;
                }
                catch (Exception e) when ((e is NatsException or TimeoutException) && ++unconfirmed >= 2)
                {
                    // Twice no answer about it: the server holding it is gone (a cluster node that died with the consumer
                    // in its memory answers nothing), so it is made again rather than waited for.
                    watch.End($"the consumer's server does not answer ({e.Message})");
                    return;
                }
                catch (Exception e) when (e is NatsException or TimeoutException)
                {
                    // Once may be a hiccup: ask again after the next quiet spell.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The consume ended.
        }
    }

    /// <summary>What the consume and its watchdog share: when a message last arrived, and why the consume was ended.</summary>
    private sealed class Watch(CancellationTokenSource consuming)
    {
        private long _lastArrival = Environment.TickCount64;

        public string Reason { get; private set; } = "stopped";

        public void Arrived() => Volatile.Write(ref _lastArrival, Environment.TickCount64);

        public bool QuietFor(TimeSpan span) => Environment.TickCount64 - Volatile.Read(ref _lastArrival) >= (long)span.TotalMilliseconds;

        public void End(string reason)
        {
            Reason = reason;
            try
            {
                consuming.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // Ended already.
            }
        }

        public ValueTask OnReconnected(object? sender, NatsEventArgs args)
        {
            End("NATS reconnected");
            return ValueTask.CompletedTask;
        }
    }

    private static ConsumerConfig Config(string subject, ulong last, DateTimeOffset? startTime)
    {
        var config = new ConsumerConfig
        {
            Name = "edge_" + Nuid.NewNuid(),
            FilterSubject = subject,
            AckPolicy = ConsumerConfigAckPolicy.None,
            InactiveThreshold = InactiveThreshold,
            NumReplicas = 1,
            MemStorage = true,
        };
        if (startTime is { } time)
        {
            config.DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartTime;
            config.OptStartTime = time;
        }
        else
        {
            config.DeliverPolicy = ConsumerConfigDeliverPolicy.ByStartSequence;
            config.OptStartSeq = last + 1;
        }
        return config;
    }

    /// <summary>100 ms doubling per failure up to 2 s: how long a broken read (or the feed's first look at CT_HISTORY) waits.</summary>
    public static TimeSpan RetryDelay(int failures) =>
        TimeSpan.FromMilliseconds(Math.Min(RetryMax.TotalMilliseconds, RetryMin.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 10))));

    private async Task BackOffAsync(int failures, string subject, ulong last, string? reason, CancellationToken cancellationToken)
    {
        // One line per break, not one per retry of the same break.
        if (failures == 1)
            logger.LogWarning("Reading {Subject} from {Stream} broke off after sequence {Sequence} ({Reason}); going on from there", subject, JetStreamNames.HistoryStream, last, reason);
        await Task.Delay(RetryDelay(failures), cancellationToken);
    }

    private static async Task DeleteQuietlyAsync(NatsJSContext js, string name)
    {
        try
        {
            using var bounded = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await js.DeleteConsumerAsync(JetStreamNames.HistoryStream, name, bounded.Token);
        }
        catch (Exception e) when (e is NatsException or TimeoutException or OperationCanceledException)
        {
            // Gone already, or the server is away: the inactive threshold removes it.
        }
    }
}
