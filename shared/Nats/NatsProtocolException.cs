namespace Certstream.Nats;

/// <summary>The server sent bytes that are not valid NATS protocol; the connection is dropped and re-established.</summary>
public sealed class NatsProtocolException : NatsException
{
    public NatsProtocolException() { }
    public NatsProtocolException(string message) : base(message) { }
    public NatsProtocolException(string message, Exception inner) : base(message, inner) { }
}
