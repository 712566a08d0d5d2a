namespace Certstream.Nats.KeyValue;

/// <summary>Create found the key present, or Update/Delete found another revision than expected (10071, §4).</summary>
public sealed class NatsKVWrongRevisionException : NatsException
{
    public NatsKVWrongRevisionException() { }
    public NatsKVWrongRevisionException(string message) : base(message) { }
    public NatsKVWrongRevisionException(string message, Exception inner) : base(message, inner) { }
}
