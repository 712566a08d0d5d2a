namespace Certstream.Nats.JetStream;

/// <summary>No PubAck arrived in time (after the configured attempts). The message may or may not be stored.</summary>
public sealed class NatsJSPublishTimeoutException : NatsException
{
    public NatsJSPublishTimeoutException() : base("No PubAck arrived in time") { }
    public NatsJSPublishTimeoutException(string message) : base(message) { }
    public NatsJSPublishTimeoutException(string message, Exception inner) : base(message, inner) { }
}
