namespace Certstream.Nats.JetStream;

/// <summary><c>$JS.API.INFO</c> (§3.3).</summary>
public sealed record NatsJSAccountInfo
{
    public ulong Memory { get; init; }
    public ulong Storage { get; init; }
    public long Streams { get; init; }
    public long Consumers { get; init; }
    public NatsJSAccountLimits Limits { get; init; } = new();
}
