namespace Certstream.Nats;

/// <summary>The server's INFO (§1.2), as last received (the greeting or a later async INFO).</summary>
public sealed record NatsServerInfo
{
    public string ServerId { get; init; } = "";
    public string ServerName { get; init; } = "";
    public string Version { get; init; } = "";
    public string Host { get; init; } = "";
    public int Port { get; init; }
    public int Proto { get; init; }
    public bool Headers { get; init; }
    public int MaxPayload { get; init; } = 1024 * 1024;
    public bool JetStream { get; init; }
    public ulong ClientId { get; init; }
    public string? ClientIp { get; init; }
    public bool AuthRequired { get; init; }
    public bool TlsRequired { get; init; }
    public bool TlsAvailable { get; init; }
    public IReadOnlyList<string> ConnectUrls { get; init; } = [];

    /// <summary>The server is in lame duck mode and will close this connection soon (§1.11).</summary>
    public bool LameDuckMode { get; init; }
}
