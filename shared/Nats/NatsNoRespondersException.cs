namespace Certstream.Nats;

/// <summary>A request found no subscriber: the server answered with status 503 and an empty payload (§2).</summary>
public sealed class NatsNoRespondersException : NatsException
{
    public NatsNoRespondersException() : base("No responders are subscribed to the request subject") { }
    public NatsNoRespondersException(string message) : base(message) { }
    public NatsNoRespondersException(string message, Exception inner) : base(message, inner) { }
}
