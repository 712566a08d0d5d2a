namespace Certstream.Contracts;

/// <summary>The JetStream API error codes the services act on (nats-server's errors.json), named once.</summary>
public static class JetStreamErrors
{
    public const int NoSuitablePeers = 10005;
    public const int ConsumerNotFound = 10014;
    public const int InsufficientResources = 10023;
    public const int StreamNameInUse = 10058;
    public const int StreamNotFound = 10059;
    public const int ReplicasNotUpdatable = 10061;
    public const int ReplicasNotSupported = 10074;
}
