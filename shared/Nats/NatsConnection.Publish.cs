using System.Runtime.CompilerServices;

namespace Certstream.Nats;

public sealed partial class NatsConnection
{
    /// <summary>
    /// Publishes by formatting PUB/HPUB straight into the write buffer: with no headers this allocates nothing.
    /// Completes when buffered (the send loop batches it onto the socket). Throws <see cref="NatsPayloadTooLargeException"/>
    /// above the server's max_payload and <see cref="NatsReconnectBufferFullException"/> when disconnected with a full buffer.
    /// </summary>
    public ValueTask PublishAsync(string subject, ReadOnlyMemory<byte> data = default, NatsHeaders? headers = null, string? replyTo = null, CancellationToken cancellationToken = default)
    {
        if (_writer.TryWritePublish(subject, replyTo, headers, data.Span)) return ValueTask.CompletedTask;
        return PublishWhenSpaceAsync(subject, data, headers, replyTo, cancellationToken);
    }

    // Back-pressure path: the socket is behind by more than WriteBufferSize. Pooled state machine, so even this stays cheap.
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private async ValueTask PublishWhenSpaceAsync(string subject, ReadOnlyMemory<byte> data, NatsHeaders? headers, string? replyTo, CancellationToken cancellationToken)
    {
        do
        {
            await _writer.WaitForSpaceAsync(cancellationToken).ConfigureAwait(false);
        }
        while (!_writer.TryWritePublish(subject, replyTo, headers, data.Span));
    }

    /// <summary>Round trip PING/PONG: completes once the server has processed everything sent before it.</summary>
    public async ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        var pong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _writer.WritePing(pong);
        await pong.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
