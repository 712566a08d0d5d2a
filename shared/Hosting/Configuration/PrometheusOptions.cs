namespace Certstream.Hosting.Configuration;

/// <summary>The <c>prometheus:</c> section; each service serves metrics on its own port (the edge on its web port).</summary>
public sealed record PrometheusOptions
{
    public bool Enabled { get; init; } = true;
    public string MetricsUrl { get; init; } = "/metrics";

    /// <summary>Who may read <see cref="MetricsUrl"/> on every service (the connection's address); empty = anyone (README "Metrics").</summary>
    public ConfigList<System.Net.IPNetwork> Whitelist { get; init; } = [];
}
