namespace Certstream.Nats.JetStream;

/// <summary>Options of a <see cref="NatsJSContext"/>.</summary>
public sealed record NatsJSOpts
{
    /// <summary>API subject prefix (§3.2); a domain or an imported account changes it.</summary>
    public string ApiPrefix { get; init; } = "$JS.API";

    /// <summary>Timeout of API requests and awaited publishes. Essential: some API misses are silent (§7 #7).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Retries of a publish answered by 503 no responders, e.g. during a leader election (ADR-22).</summary>
    public int PublishNoRespondersRetries { get; init; } = 2;

    /// <summary>Wait between those retries (ADR-22 suggests 250 ms).</summary>
    public TimeSpan PublishRetryWait { get; init; } = TimeSpan.FromMilliseconds(250);
}
