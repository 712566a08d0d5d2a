namespace Certstream.Nats.JetStream;

public sealed record NatsJSAccountLimits
{
    public long MaxMemory { get; init; }
    public long MaxStorage { get; init; }
    public long MaxStreams { get; init; }
    public long MaxConsumers { get; init; }
}
