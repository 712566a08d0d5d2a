namespace Certstream.Nats;

/// <summary>The operation needs a connection that has been closed or disposed.</summary>
public sealed class NatsConnectionClosedException : NatsException
{
    public NatsConnectionClosedException() : base("The connection is closed") { }
    public NatsConnectionClosedException(string message) : base(message) { }
    public NatsConnectionClosedException(string message, Exception inner) : base(message, inner) { }
}
