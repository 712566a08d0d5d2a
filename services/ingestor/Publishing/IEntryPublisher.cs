using Certstream.Ingestor.Logs;

namespace Certstream.Ingestor.Publishing;

/// <summary>
/// Where followers hand each log entry (the integrator implements it over JetStream <c>CT_RAW</c>,
/// README "NATS subjects": subject <c>ct.raw.&lt;log&gt;</c>, header <c>Nats-Msg-Id: &lt;log&gt;:&lt;index&gt;</c>).
/// </summary>
/// <remarks>
/// Two-stage completion:
/// <list type="bullet">
/// <item>The returned <see cref="ValueTask{TResult}"/> completes once the publisher has taken the message
/// into its window of un-acked publishes. It is the back-pressure: a publisher with a full window does not
/// complete it until an ack frees a slot. When it completes, the publisher no longer needs
/// <paramref name="leafInput"/>/<paramref name="extraData"/> (it has serialized or copied them).</item>
/// <item>The inner <see cref="Task"/> completes when JetStream acked the message (a duplicate ack counts).
/// The publisher retries transient failures itself (it holds the bytes and the Msg-Id makes a retry safe).
/// It faults only when the publisher gave up on the message, and is cancelled when the publisher shuts down;
/// either way the follower rewinds to its acked prefix and publishes again from there.</item>
/// </list>
/// Called concurrently by several fetch workers and logs: implementations must be thread-safe. Within one
/// log every index is published once per pass (calls for different ranges interleave).
/// </remarks>
internal interface IEntryPublisher
{
    ValueTask<Task> PublishAsync(LogDescriptor log, ulong index, ReadOnlyMemory<byte> leafInput, ReadOnlyMemory<byte> extraData,
        DateTimeOffset fetchedAt, CancellationToken cancellationToken);
}
