using Certstream.Contracts;
using Certstream.Nats.JetStream;
using Certstream.Nats.JetStream.Models;

namespace Certstream.Parser.Pipeline;

/// <summary>
/// The JetStream objects the parser reads (SPEC §3): the <c>CT_RAW</c> stream and the shared durable pull consumer <c>parser</c>.
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

    /// <summary>
    /// SPEC §3 stream config, the same as the ingestor makes it: <c>ct.raw.&gt;</c>, limits retention, file storage,
    /// <c>max_age</c> = <c>ingestor.raw_max_age</c>, 10-minute duplicate window (at most max_age).
    /// </summary>
    public static StreamConfig Stream(TimeSpan maxAge) => new(JetStreamNames.RawStream, JetStreamNames.RawStreamSubjects)
    {
        Description = JetStreamNames.RawStreamDescription,
        Retention = StreamRetention.Limits,
        Storage = StreamStorage.File,
        MaxAge = maxAge,
        DuplicateWindow = JetStreamNames.RawDuplicateWindowFor(maxAge),
    };

    /// <summary>Every replica sends this same config, so create-or-update is a no-op after the first.</summary>
    public static ConsumerConfig Consumer() => new(JetStreamNames.ParserConsumer)
    {
        DeliverPolicy = ConsumerDeliverPolicy.All,
        AckPolicy = ConsumerAckPolicy.Explicit,
        AckWait = AckWait,
        MaxAckPending = MaxAckPending,
        ReplayPolicy = ConsumerReplayPolicy.Instant,
    };

    /// <summary>
    /// Makes sure the stream exists, then creates or updates the consumer. The ingestor owns the stream's config (it
    /// publishes into it), so an existing stream is left as it is; the parser creates it only when it starts first, with
    /// the same config, so that it can bind its consumer without waiting for the ingestor.
    /// </summary>
    public static async ValueTask<NatsJSConsumer> EnsureAsync(NatsJSContext js, TimeSpan rawMaxAge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(js);
        try
        {
            await js.GetStreamAsync(JetStreamNames.RawStream, cancellationToken);
        }
        catch (NatsJSApiException e) when (e.ErrCode == NatsJSErrorCodes.StreamNotFound)
        {
            try
            {
                await js.CreateStreamAsync(Stream(rawMaxAge), cancellationToken);
            }
            catch (NatsJSApiException c) when (c.ErrCode == NatsJSErrorCodes.StreamNameInUse)
            {
                // The ingestor (or another replica) created it in between: theirs stands.
            }
        }
        return await js.CreateOrUpdateConsumerAsync(JetStreamNames.RawStream, Consumer(), cancellationToken);
    }
}
