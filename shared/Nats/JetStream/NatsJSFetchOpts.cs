namespace Certstream.Nats.JetStream;

/// <summary>One pull request (§3.7).</summary>
public sealed record NatsJSFetchOpts
{
    /// <summary>Messages wanted at most.</summary>
    public int MaxMsgs { get; init; } = 100;

    /// <summary>Bytes wanted at most; the server ends with 409 when the next message does not fit. Null = no limit.</summary>
    public long? MaxBytes { get; init; }

    /// <summary>How long the server keeps the request open; it then ends it with 408.</summary>
    public TimeSpan Expires { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Return what is there at once (404 when nothing, 408 after a partial batch) instead of waiting.</summary>
    public bool NoWait { get; init; }

    /// <summary>The server sends "100 Idle Heartbeat" this often while idle; two missed ones end the fetch. Must be ≤ Expires/2.</summary>
    public TimeSpan? IdleHeartbeat { get; init; }
}
