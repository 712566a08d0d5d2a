namespace Certstream.Nats;

/// <summary>No reply arrived within the request timeout.</summary>
public sealed class NatsRequestTimeoutException : NatsException
{
    public NatsRequestTimeoutException() : base("The request timed out") { }
    public NatsRequestTimeoutException(string message) : base(message) { }
    public NatsRequestTimeoutException(string message, Exception inner) : base(message, inner) { }
}
