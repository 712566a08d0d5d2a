namespace Certstream.Nats.JetStream;

public sealed record NatsJSStreamState
{
    public ulong Messages { get; init; }
    public ulong Bytes { get; init; }
    public ulong FirstSeq { get; init; }
    public ulong LastSeq { get; init; }
    public long NumSubjects { get; init; }
    public long ConsumerCount { get; init; }
}
