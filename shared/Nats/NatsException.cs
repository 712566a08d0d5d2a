namespace Certstream.Nats;

/// <summary>Base of every error this client raises.</summary>
public class NatsException : Exception
{
    public NatsException() { }
    public NatsException(string message) : base(message) { }
    public NatsException(string message, Exception inner) : base(message, inner) { }
}
