namespace Certstream.Nats;

/// <summary>The connection is down and the bounded reconnect buffer has no room for this publish.</summary>
public sealed class NatsReconnectBufferFullException : NatsException
{
    public NatsReconnectBufferFullException() { }
    public NatsReconnectBufferFullException(string message) : base(message) { }
    public NatsReconnectBufferFullException(string message, Exception inner) : base(message, inner) { }
}
