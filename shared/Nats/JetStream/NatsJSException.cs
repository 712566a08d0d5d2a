namespace Certstream.Nats.JetStream;

/// <summary>A JetStream failure that is not an API error body: no JetStream, a terminal pull status, missed heartbeats.</summary>
public sealed class NatsJSException : NatsException
{
    public NatsJSException() { }
    public NatsJSException(string message) : base(message) { }
    public NatsJSException(string message, Exception inner) : base(message, inner) { }

    public NatsJSException(int statusCode, string message) : base(message) => StatusCode = statusCode;

    /// <summary>The pull status that ended a fetch (400, 409), or 0.</summary>
    public int StatusCode { get; }
}
