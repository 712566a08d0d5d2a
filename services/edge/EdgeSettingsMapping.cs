using Certstream.Hosting.Configuration;

namespace Certstream.Edge;

/// <summary>The <c>webserver:</c> and <c>prometheus:</c> config sections (SPEC §6) as the edge's settings.</summary>
internal static class EdgeSettingsMapping
{
    public static EdgeSettings ToEdgeSettings(this CertstreamConfig config)
    {
        var web = config.Webserver;
        return new EdgeSettings
        {
            ListenAddr = web.ListenAddr,
            ListenPort = web.ListenPort,
            LiteUrl = web.LiteUrl,
            FullUrl = web.FullUrl,
            DomainsOnlyUrl = web.DomainsOnlyUrl,
            CertPath = web.CertPath,
            CertKeyPath = web.CertKeyPath,
            CompressionEnabled = web.CompressionEnabled,
            RealIp = web.RealIp,
            TrustedProxies = [.. web.TrustedProxies.Select(n => n.ToString())],
            Whitelist = [.. web.Whitelist.Select(n => n.ToString())],
            AuthTokens = [.. web.AuthTokens],
            MaxClients = web.MaxClients,
            MaxClientsPerIp = web.MaxClientsPerIp,
            PingInterval = web.PingInterval,
            ClientTimeout = web.ClientTimeout,
            HeartbeatInterval = web.HeartbeatInterval,
            ClientBuffer = web.ClientBuffer,
            SlowClientTimeout = web.SlowClientTimeout,
            PrometheusEnabled = config.Prometheus.Enabled,
            MetricsUrl = config.Prometheus.MetricsUrl,
        };
    }
}
