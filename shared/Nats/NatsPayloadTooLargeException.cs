namespace Certstream.Nats;

/// <summary>Headers + payload exceed the server's <c>max_payload</c>; nothing was sent (§1.5, trap 4).</summary>
public sealed class NatsPayloadTooLargeException : NatsException
{
    public NatsPayloadTooLargeException() { }
    public NatsPayloadTooLargeException(string message) : base(message) { }
    public NatsPayloadTooLargeException(string message, Exception inner) : base(message, inner) { }
}
