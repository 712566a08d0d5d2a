namespace Certstream.Edge;

/// <summary>
/// The edge's settings: the SPEC §6 <c>webserver:</c> keys (same names, snake_case in YAML) plus
/// <c>prometheus.enabled</c>/<c>metrics_url</c>. Defaults are the SPEC's. The config loader maps its options onto this.
/// </summary>
internal sealed record EdgeSettings
{
    private static readonly string[] PathKeys = ["webserver.lite_url", "webserver.full_url", "webserver.domains_only_url"];

    public string ListenAddr { get; init; } = "0.0.0.0";

    /// <summary>0 binds an ephemeral port (tests); the bound address is reported by the server.</summary>
    public int ListenPort { get; init; } = 8080;

    public string LiteUrl { get; init; } = "/";
    public string FullUrl { get; init; } = "/full-stream";
    public string DomainsOnlyUrl { get; init; } = "/domains-only";

    /// <summary>PEM certificate and key; TLS is on when both are set.</summary>
    public string CertPath { get; init; } = "";
    public string CertKeyPath { get; init; } = "";

    /// <summary>permessage-deflate when the client offers it (no server context takeover, to bound memory per client).</summary>
    public bool CompressionEnabled { get; init; }

    /// <summary>Honour X-Forwarded-For / X-Real-IP, but only from <see cref="TrustedProxies"/> (SPEC §2).</summary>
    public bool RealIp { get; init; }

    /// <summary>IPs or CIDRs whose forwarding headers are believed. Empty: nobody's.</summary>
    public IReadOnlyList<string> TrustedProxies { get; init; } = [];

    /// <summary>IPs or CIDRs allowed to use the edge's endpoints; empty allows everyone. Others get 403.</summary>
    public IReadOnlyList<string> Whitelist { get; init; } = [];

    /// <summary>Bearer tokens; when non-empty every stream and JSON endpoint requires one (header or <c>?token=</c>).</summary>
    public IReadOnlyList<string> AuthTokens { get; init; } = [];

    /// <summary>0 means unlimited.</summary>
    public int MaxClients { get; init; } = 10_000;

    /// <summary>0 means unlimited.</summary>
    public int MaxClientsPerIp { get; init; }

    /// <summary>Server WebSocket ping after this much inbound silence; zero turns pings off.</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A client that sent nothing (frame, ping or pong) for this long is closed with 1008.</summary>
    public TimeSpan ClientTimeout { get; init; } = TimeSpan.FromSeconds(65);

    /// <summary>JSON heartbeat to a client that got nothing else for this long; zero turns it off.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Per-client send queue bound, in bytes (SPEC §2 slow clients).</summary>
    public long ClientBuffer { get; init; } = 4L * 1024 * 1024;

    /// <summary>A client whose queue stays full this long is closed with 1013; zero: never (drop only).</summary>
    public TimeSpan SlowClientTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public bool PrometheusEnabled { get; init; } = true;
    public string MetricsUrl { get; init; } = "/metrics";

    /// <summary>
    /// Not a config key: how long a closing session waits for a stuck send or the client's close reply before
    /// dropping the connection. Tests shorten it.
    /// </summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public bool TlsEnabled => CertPath.Length > 0 && CertKeyPath.Length > 0;

    /// <summary>Throws <see cref="ArgumentException"/> naming the offending key (SPEC §6: bad values stop start-up).</summary>
    public void Validate()
    {
        ValidatePath(LiteUrl, "webserver.lite_url");
        ValidatePath(FullUrl, "webserver.full_url");
        ValidatePath(DomainsOnlyUrl, "webserver.domains_only_url");
        var paths = new[] { Normalize(LiteUrl), Normalize(FullUrl), Normalize(DomainsOnlyUrl) };
        if (paths.Distinct(StringComparer.OrdinalIgnoreCase).Count() != paths.Length)
            throw new ArgumentException("webserver.lite_url, full_url and domains_only_url must differ");
        var reserved = new[] { "/example.json", "/latest.json", "/stats", Normalize(MetricsUrl), "/healthz", "/readyz" };
        foreach (var (path, key) in paths.Zip(PathKeys))
        {
            if (reserved.Contains(path, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"{key}: '{path}' is another endpoint's path");
        }
        if (!System.Net.IPAddress.TryParse(ListenAddr, out _))
            throw new ArgumentException($"webserver.listen_addr: '{ListenAddr}' is not an IP address");
        if (ListenPort is < 0 or > 65535)
            throw new ArgumentException($"webserver.listen_port: {ListenPort} is out of range");
        if ((CertPath.Length > 0) != (CertKeyPath.Length > 0))
            throw new ArgumentException("webserver.cert_path and webserver.cert_key_path must be set together");
        if (MaxClients < 0) throw new ArgumentException("webserver.max_clients must not be negative");
        if (MaxClientsPerIp < 0) throw new ArgumentException("webserver.max_clients_per_ip must not be negative");
        if (PingInterval < TimeSpan.Zero) throw new ArgumentException("webserver.ping_interval must not be negative");
        if (ClientTimeout <= TimeSpan.Zero) throw new ArgumentException("webserver.client_timeout must be positive");
        // Pings are what keep a client that sends nothing of its own (certstream-js) alive: they must come first.
        if (PingInterval >= ClientTimeout)
            throw new ArgumentException("webserver.ping_interval must be shorter than webserver.client_timeout");
        if (HeartbeatInterval < TimeSpan.Zero) throw new ArgumentException("webserver.heartbeat_interval must not be negative");
        if (ClientBuffer <= 0) throw new ArgumentException("webserver.client_buffer must be positive");
        if (SlowClientTimeout < TimeSpan.Zero) throw new ArgumentException("webserver.slow_client_timeout must not be negative");
        if (PrometheusEnabled) ValidatePath(MetricsUrl, "prometheus.metrics_url");
        if (AuthTokens.Any(string.IsNullOrWhiteSpace)) throw new ArgumentException("webserver.auth_tokens must not hold empty tokens");
        // CIDR lists are parsed (and rejected by key name) by AccessPolicy.
    }

    /// <summary>A configured path without its trailing slash ("/" stays "/").</summary>
    internal static string Normalize(string path) => path.Length > 1 ? path.TrimEnd('/') : path;

    private static void ValidatePath(string path, string key)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/' || path.Contains("//", StringComparison.Ordinal)
            || path.Any(c => char.IsWhiteSpace(c) || c is '?' or '#' or '{' or '}'))
            throw new ArgumentException($"{key}: '{path}' is not a path starting with '/'");
    }
}
