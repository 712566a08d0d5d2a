namespace Certstream.Nats.JetStream;

/// <summary>Options of <see cref="NatsJSConsumer.ConsumeAsync"/>, with NATS.Net's defaults (§3.7).</summary>
public sealed record NatsJSConsumeOpts
{
    /// <summary>Messages kept requested; a new pull goes out when fewer than half remain outstanding.</summary>
    public int MaxMsgs { get; init; } = 1000;

    public TimeSpan Expires { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan IdleHeartbeat { get; init; } = TimeSpan.FromSeconds(15);
}
