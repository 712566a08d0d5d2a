namespace Certstream.Nats.JetStream;

public sealed record NatsJSConsumerInfo
{
    public string StreamName { get; init; } = "";
    public string Name { get; init; } = "";
    public required NatsJSConsumerConfig Config { get; init; }
    public NatsJSSequenceInfo Delivered { get; init; } = new();
    public NatsJSSequenceInfo AckFloor { get; init; } = new();
    public long NumAckPending { get; init; }
    public long NumRedelivered { get; init; }
    public long NumWaiting { get; init; }
    public ulong NumPending { get; init; }
}
