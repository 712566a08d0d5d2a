namespace Certstream.Nats.JetStream;

/// <summary>The err_codes this client acts on (§3.10, nats-server 2.9.10 errors.json).</summary>
public static class NatsJSErrorCodes
{
    public const int ConsumerNotFound = 10014;
    public const int NoMessageFound = 10037;
    public const int StreamNameInUse = 10058;
    public const int StreamNotFound = 10059;
    public const int WrongLastMsgId = 10070;
    public const int WrongLastSequence = 10071;
}
