using Certstream.Hosting.Configuration;

namespace Certstream.Edge.Tests;

public sealed class EdgeConfigTests
{
    [Fact]
    public void Defaults_are_the_specs()
    {
        var settings = new WebserverOptions();
        var prometheus = new PrometheusOptions();

        Assert.Equal(("0.0.0.0", 8080), (settings.ListenAddr, settings.ListenPort));
        Assert.Equal(("/", "/full-stream", "/domains-only"), (settings.LiteUrl, settings.FullUrl, settings.DomainsOnlyUrl));
        Assert.False(settings.CompressionEnabled);
        Assert.False(settings.RealIp);
        Assert.Equal(10_000, settings.MaxClients);
        Assert.Equal(0, settings.MaxClientsPerIp);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.PingInterval);
        Assert.Equal(TimeSpan.FromSeconds(65), settings.ClientTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.HeartbeatInterval);
        Assert.Equal(4 * 1024 * 1024, settings.ClientBuffer);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.SlowClientTimeout);
        Assert.True(prometheus.Enabled);
        Assert.Equal("/metrics", prometheus.MetricsUrl);
        StreamPaths.Validate(settings, prometheus);
        _ = new AccessPolicy(settings);
    }

    [Theory]
    [InlineData("webserver.full_url")]
    [InlineData("webserver.lite_url")]
    [InlineData("webserver.listen_addr")]
    [InlineData("webserver.cert_key_path")]
    [InlineData("webserver.client_buffer")]
    [InlineData("webserver.ping_interval")]
    public void Invalid_values_are_rejected_by_the_config_loader_naming_the_key(string key)
    {
        var keyFile = Path.GetTempFileName(); // cert_key_path must exist for the pairing check to be reached
        try
        {
            var yaml = key switch
            {
                "webserver.full_url" => "  full_url: full-stream\n",
                "webserver.lite_url" => "  lite_url: /full-stream/\n",
                "webserver.listen_addr" => "  listen_addr: localhost\n",
                "webserver.cert_key_path" => $"  cert_key_path: \"{keyFile}\"\n",
                "webserver.ping_interval" => "  ping_interval: 70s\n",
                _ => "  client_buffer: 0\n",
            };

            var error = Assert.Throws<ConfigException>(() => Edge.Config(yaml));

            Assert.Contains(key, error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Theory]
    [InlineData("webserver.domains_only_url")]
    [InlineData("webserver.lite_url")]
    [InlineData("webserver.full_url")]
    public void Paths_the_edge_cannot_route_stop_start_up_naming_the_key(string key)
    {
        var settings = key switch
        {
            "webserver.domains_only_url" => new WebserverOptions { DomainsOnlyUrl = "/stats" },
            "webserver.full_url" => new WebserverOptions { FullUrl = "/sse" },
            _ => new WebserverOptions { LiteUrl = "/full-stream/" },
        };

        var error = Assert.Throws<ArgumentException>(() => StreamPaths.Validate(settings, new PrometheusOptions()));

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
