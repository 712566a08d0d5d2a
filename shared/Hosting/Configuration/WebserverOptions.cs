using System.Net;

namespace Certstream.Hosting.Configuration;

/// <summary>The <c>webserver:</c> section (edge), keys as in certstream-server-go.</summary>
public sealed record WebserverOptions
{
    /// <summary>An IP address (hostnames are rejected, as in certstream-server-go).</summary>
    public string ListenAddr { get; init; } = "0.0.0.0";
    public int ListenPort { get; init; } = 8080;
    public string LiteUrl { get; init; } = "/";
    public string FullUrl { get; init; } = "/full-stream";
    public string DomainsOnlyUrl { get; init; } = "/domains-only";
    public string CertPath { get; init; } = "";
    public string CertKeyPath { get; init; } = "";
    public bool CompressionEnabled { get; init; }
    public bool RealIp { get; init; }
    public ConfigList<IPNetwork> TrustedProxies { get; init; } = [];

    /// <summary>Empty means every client is allowed.</summary>
    public ConfigList<IPNetwork> Whitelist { get; init; } = [];

    /// <summary>Empty means no authentication.</summary>
    public ConfigList<string> AuthTokens { get; init; } = [];

    /// <summary>0 means no limit.</summary>
    public int MaxClients { get; init; } = 10000;

    /// <summary>0 means no limit.</summary>
    public int MaxClientsPerIp { get; init; }
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(30);
    public TimeSpan ClientTimeout { get; init; } = TimeSpan.FromSeconds(65);

    /// <summary>Zero turns the JSON heartbeat off.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Per-client send queue, in bytes.</summary>
    public long ClientBuffer { get; init; } = 4L * 1024 * 1024;
    public TimeSpan SlowClientTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public bool TlsEnabled => CertPath.Length > 0 && CertKeyPath.Length > 0;
}
