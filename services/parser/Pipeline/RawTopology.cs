using Certstream.Contracts;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Certstream.Parser.Pipeline;

/// <summary>
/// The JetStream objects the parser reads (README "NATS subjects"): the <c>CT_RAW</c> stream (its config is the contract's,
/// <see cref="JetStreamConfigs.RawStream"/>) and the shared durable pull consumer <c>parser</c>.
/// </summary>
internal static class RawTopology
{
    /// <summary>How long a delivered entry may stay unacked before another replica gets it (a crashed replica's batch comes back after this).</summary>
    public static readonly TimeSpan AckWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Unacked entries across all replicas. Each replica holds at most three batches (one being fetched, one queued, one in
    /// work; 3 × 256 by default), so this leaves room for dozens of replicas or larger batches before the server throttles.
    /// </summary>
    public const long MaxAckPending = 20_000;


    /// <summary>Every replica sends this same config, so create-or-update is a no-op after the first.</summary>
    public static ConsumerConfig Consumer() => new(JetStreamNames.ParserConsumer)
    {
        DurableName = JetStreamNames.ParserConsumer,
        DeliverPolicy = ConsumerConfigDeliverPolicy.All,
        AckPolicy = ConsumerConfigAckPolicy.Explicit,
        AckWait = AckWait,
        MaxAckPending = MaxAckPending,
        ReplayPolicy = ConsumerConfigReplayPolicy.Instant,
    };

    /// <summary>
    /// Makes sure the stream exists, then creates or updates the consumer. The ingestor owns the stream's config (it
    /// publishes into it), so an existing stream is left as it is; the parser creates it only when it starts first, with
    /// the contract's config, so that it can bind its consumer without waiting for the ingestor.
    /// </summary>
    public static async ValueTask<INatsJSConsumer> EnsureAsync(INatsJSContext js, TimeSpan rawMaxAge, int replicas, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(js);
        try
        {
            await js.GetStreamAsync(JetStreamNames.RawStream, cancellationToken: cancellationToken);
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode == JetStreamErrors.StreamNotFound)
        {
            try
            {
                await JetStreamRefusal.EnsureAsync(JetStreamNames.RawStream, replicas,
                    () => js.CreateStreamAsync(JetStreamConfigs.RawStream(rawMaxAge, replicas), cancellationToken));
            }
            catch (NatsJSException c) when (c.InnerException is NatsJSApiException { Error.ErrCode: JetStreamErrors.StreamNameInUse })
            {
                // The ingestor (or another replica) created it in between: theirs stands.
            }
        }
        return await js.CreateOrUpdateConsumerAsync(JetStreamNames.RawStream, Consumer(), cancellationToken);
    }
}
