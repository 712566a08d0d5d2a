namespace Certstream.Nats.JetStream;

/// <summary>Continuous pull consumption (the NATS.Net ConsumeAsync pattern, §3.7).</summary>
public sealed record NatsJSConsumeOpts
{
    /// <summary>Messages kept requested; a new pull tops up when fewer than half remain outstanding.</summary>
    public int MaxMsgs { get; init; } = 1000;

    /// <summary>Lifetime of each pull request on the server.</summary>
    public TimeSpan Expires { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Server heartbeat while a pull is idle; two missed ones re-issue the pull.</summary>
    public TimeSpan IdleHeartbeat { get; init; } = TimeSpan.FromSeconds(15);
}
