using Certstream.Nats.JetStream;

namespace Certstream.Nats.KeyValue;

/// <summary>
/// A conditional write lost (10071 "wrong last sequence", §4): Create found the key present, or Update's expected
/// revision is no longer the latest. For a lease this means another holder won.
/// </summary>
public sealed class NatsKVWrongLastRevisionException : NatsJSApiException
{
    public NatsKVWrongLastRevisionException() : this("wrong last sequence") { }

    public NatsKVWrongLastRevisionException(string message) : base(400, NatsJSErrorCodes.WrongLastSequence, message) { }

    public NatsKVWrongLastRevisionException(string message, Exception inner) : base(message, inner) { }
}
