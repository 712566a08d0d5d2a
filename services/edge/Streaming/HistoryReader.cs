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

    /// <summary>
    /// The messages of <paramref name="subject"/>: after stream sequence <paramref name="afterSequence"/>, or when
    /// <paramref name="startTime"/> is given, from the first message stored at or after it. <paramref name="onReading"/> is
    /// called each time a consumer is in place (the first time: the reader is ready).
    /// </summary>
    public async IAsyncEnumerable<INatsJSMsg<byte[]>> ReadAsync(string subject, ulong afterSequence, DateTimeOffset? startTime, Action<ulong>? onReading,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var js = new NatsJSContext(connection);
        var last = afterSequence;
        var byTime = startTime;
        var failures = 0;
        while (true)
        {
            INatsJSConsumer consumer;
            try
            {
                consumer = await js.CreateOrUpdateConsumerAsync(JetStreamNames.HistoryStream, Config(subject, last, byTime), cancellationToken);
            }
            catch (Exception e) when ((e is NatsException or TimeoutException) && !cancellationToken.IsCancellationRequested)
            {
                await BackOffAsync(++failures, subject, last, e.Message, cancellationToken);
                continue;
            }
            onReading?.Invoke(last);

            var expected = 1UL; // consumer sequences count from 1: a jump is a message lost on the way
            var broke = (string?)null;
            try
            {
                await using (var messages = consumer.ConsumeAsync<byte[]>(opts: new NatsJSConsumeOpts { MaxMsgs = Batch }, cancellationToken: cancellationToken)
                    .GetAsyncEnumerator(cancellationToken))
                {
                    while (broke is null)
                    {
                        try
                        {
                            if (!await messages.MoveNextAsync()) broke = "the consumer ended";
                        }
                        catch (Exception e) when ((e is NatsException or TimeoutException) && !cancellationToken.IsCancellationRequested)
                        {
                            broke = e.Message;
                        }
                        if (broke is not null) break;
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
            }
            finally
            {
                _ = DeleteQuietlyAsync(js, consumer.Info.Name);
            }
            await BackOffAsync(++failures, subject, last, broke, cancellationToken);
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

    private async Task BackOffAsync(int failures, string subject, ulong last, string? reason, CancellationToken cancellationToken)
    {
        // One line per break, not one per retry of the same break.
        if (failures == 1)
            logger.LogWarning("Reading {Subject} from {Stream} broke off after sequence {Sequence} ({Reason}); going on from there", subject, JetStreamNames.HistoryStream, last, reason);
        var delay = TimeSpan.FromMilliseconds(Math.Min(RetryMax.TotalMilliseconds, RetryMin.TotalMilliseconds * Math.Pow(2, Math.Min(failures - 1, 10))));
        await Task.Delay(delay, cancellationToken);
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
