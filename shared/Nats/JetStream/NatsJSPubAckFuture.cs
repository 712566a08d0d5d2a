using System.Runtime.CompilerServices;
using Certstream.Nats.JetStream.Models;

namespace Certstream.Nats.JetStream;

/// <summary>
/// The PubAck of a pipelined publish, to be awaited <b>exactly once</b> (it is backed by a pooled
/// <see cref="System.Threading.Tasks.Sources.IValueTaskSource{TResult}"/>). Fails with <see cref="NatsJSApiException"/>,
/// <see cref="NatsNoRespondersException"/>, <see cref="NatsJSPublishTimeoutException"/> or <see cref="NatsConnectionClosedException"/>.
/// </summary>
public readonly record struct NatsJSPubAckFuture(ValueTask<PubAck> Ack)
{
    public ValueTaskAwaiter<PubAck> GetAwaiter() => Ack.GetAwaiter();

    public Task<PubAck> AsTask() => Ack.AsTask();
}
