namespace Certstream.Nats;

/// <summary>Connection options. Immutable; change with <c>with</c>.</summary>
public sealed record NatsOpts
{
    /// <summary>Comma-separated server URLs (<c>nats://</c> or <c>tls://</c>; user:pass@ or token@ allowed).</summary>
    public string Url { get; init; } = "nats://127.0.0.1:4222";

    /// <summary>Client name sent in CONNECT and used as the <c>connection</c> metric tag.</summary>
    public string Name { get; init; } = "certstream";

    public string? User { get; init; }
    public string? Password { get; init; }
    public string? Token { get; init; }

    /// <summary>Receive our own publishes on matching subscriptions (CONNECT <c>echo</c>, §1.3). Off by default.</summary>
    public bool Echo { get; init; }

    public NatsTlsOpts Tls { get; init; } = new();

    /// <summary>TCP connect + INFO + CONNECT/PONG handshake, per server attempt.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Client PING interval for stale-connection detection (§1.4 step 5).</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Unanswered client PINGs after which the connection is declared stale.</summary>
    public int MaxPingsOut { get; init; } = 2;

    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Shuffle the server pool (§1.10). Off keeps the given order, useful in tests.</summary>
    public bool RandomizeServers { get; init; } = true;

    /// <summary>Reconnect after a lost connection. Off: the connection closes instead.</summary>
    public bool AllowReconnect { get; init; } = true;

    /// <summary>Reconnect attempts (over the whole pool) before closing; -1 = forever (the NATS.Net default).</summary>
    public int MaxReconnectAttempts { get; init; } = -1;

    /// <summary>First back-off after a full pass over the pool failed; it doubles up to <see cref="ReconnectWaitMax"/>.</summary>
    public TimeSpan ReconnectWaitMin { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan ReconnectWaitMax { get; init; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>Random 0..this added to each back-off so that many clients don't reconnect in lockstep.</summary>
    public TimeSpan ReconnectJitter { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Bytes of commands kept while disconnected; publishing beyond it throws <see cref="NatsReconnectBufferFullException"/>.</summary>
    public int ReconnectBufferSize { get; init; } = 8 * 1024 * 1024;

    /// <summary>Pending write bytes above which publishers wait for the socket (back-pressure while connected).</summary>
    public int WriteBufferSize { get; init; } = 1024 * 1024;

    /// <summary>Default per-subscription queue bound (messages). Overflow is dropped and counted.</summary>
    public int SubPendingMsgsLimit { get; init; } = 65536;

    /// <summary>Default per-subscription queue bound (payload + header bytes).</summary>
    public long SubPendingBytesLimit { get; init; } = 64L * 1024 * 1024;

    /// <summary>Reconnect to another pool member as soon as the server announces lame duck mode (§1.11).</summary>
    public bool ReconnectOnLameDuck { get; init; } = true;
}
