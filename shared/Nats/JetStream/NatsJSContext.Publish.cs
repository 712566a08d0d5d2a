using Certstream.Nats.JetStream.Models;

namespace Certstream.Nats.JetStream;

public sealed partial class NatsJSContext
{
    /// <summary>
    /// Publishes and awaits the PubAck (§3.5). A 503 (no stream covers the subject, or a leader election) is retried
    /// <see cref="NatsJSOpts.PublishNoRespondersRetries"/> times (ADR-22), then surfaces as <see cref="NatsNoRespondersException"/>.
    /// API errors (e.g. 10071 wrong last sequence) throw <see cref="NatsJSApiException"/>; no ack in time throws
    /// <see cref="NatsRequestTimeoutException"/>. For many messages in flight use <see cref="CreatePublisher"/>.
    /// </summary>
    public async ValueTask<PubAck> PublishAsync(string subject, ReadOnlyMemory<byte> data = default, NatsJSPubOpts? opts = null, NatsHeaders? headers = null, CancellationToken cancellationToken = default)
    {
        headers = opts?.Apply(headers) ?? headers;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var reply = await Connection.RequestAsync(subject, data, headers, Opts.RequestTimeout, cancellationToken).ConfigureAwait(false);
                return ParsePubAck(reply.Data);
            }
            catch (NatsNoRespondersException) when (attempt < Opts.PublishNoRespondersRetries)
            {
                await Task.Delay(Opts.PublishRetryWait, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A pipelined publisher: up to <see cref="NatsJSPublisherOpts.MaxAcksInFlight"/> publishes awaiting their acks.</summary>
    public NatsJSPublisher CreatePublisher(NatsJSPublisherOpts? opts = null) => new(Connection, opts ?? new NatsJSPublisherOpts());
}
