namespace Certstream.Nats.JetStream;

public sealed record NatsJSSequenceInfo
{
    public ulong ConsumerSeq { get; init; }
    public ulong StreamSeq { get; init; }
}
