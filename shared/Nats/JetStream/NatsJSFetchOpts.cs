namespace Certstream.Nats.JetStream;

/// <summary>A pull request (§3.7). <see cref="IdleHeartbeat"/> needs <see cref="Expires"/> ≥ 2 × heartbeat.</summary>
public sealed record NatsJSFetchOpts
{
    public int Batch { get; init; } = 1;

    /// <summary>0 = no byte cap.</summary>
    public long MaxBytes { get; init; }

    /// <summary>How long the server holds the request open; zero with <see cref="NoWait"/> false means 30 s here.</summary>
    public TimeSpan Expires { get; init; }

    public TimeSpan IdleHeartbeat { get; init; }

    /// <summary>Answer at once: what is there now, then 404/408.</summary>
    public bool NoWait { get; init; }
}
